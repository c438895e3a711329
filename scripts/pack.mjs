#!/usr/bin/env node
// Packs the publishable packages — @vibe/cli (the `vibe` command, carrying the daemon and the relay) and
// @vibe/relay-server (`npx @vibe/relay-server`) — from the workspace's build into tarballs.
//
//   node scripts/pack.mjs [--out DIR] [--version X.Y.Z] [--dry-run] [--json]
//
// Each package is staged first (DIR/stage/<name>/): its package.json without what only the workspace needs
// (scripts, devDependencies, `private`), its README, the repository's LICENSE, and its built JavaScript
// without source maps (the maps hold the sources; they stay in the checkout for `--debug`). `npm pack` then
// runs in the stage, so what it reports is exactly what `npm publish` of the tarball would publish.
// `--version` stamps another version into the staged package.json, which is where vibe reads its version
// at run time: the upgrade test builds its "older" release this way.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The packages published to npm, and the folders of each that are shipped besides package.json. */
const PUBLISHED = [
  { dir: 'packages/cli', ship: ['dist'] },
  { dir: 'packages/relay-server', ship: ['bin', 'dist'] },
];

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'packs') },
    version: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

const out = values.out;
const results = PUBLISHED.map((entry) => pack(entry));
if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else {
  for (const result of results) {
    const where = result.filename ? ` → ${relative(process.cwd(), join(out, result.filename))}` : '';
    process.stdout.write(`${result.name}@${result.version}: ${result.entryCount} files, ${kb(result.size)} packed, ${kb(result.unpackedSize)} unpacked${where}\n`);
  }
}

function pack({ dir, ship }) {
  const source = join(root, dir);
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  const stage = join(out, 'stage', manifest.name.replace('/', '__'));
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const folder of ship) {
    const from = join(source, folder);
    if (!existsSync(from)) fail(`${dir}/${folder} is missing: run \`npm run build\` first`);
    cpSync(from, join(stage, folder), { recursive: true, filter: (path) => !path.endsWith('.map') });
  }
  for (const file of walk(stage)) if (file.endsWith('.js')) stripSourceMapComment(file);
  copyFileSync(join(source, 'README.md'), join(stage, 'README.md'));
  copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
  const published = { ...manifest, ...(values.version && { version: values.version }) };
  for (const workspaceOnly of ['scripts', 'devDependencies', 'private']) delete published[workspaceOnly];
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);

  mkdirSync(out, { recursive: true });
  const args = ['pack', '--json', '--pack-destination', out, ...(values['dry-run'] ? ['--dry-run'] : [])];
  // --ignore-scripts: the stage is already built; a lifecycle script would run in the wrong place.
  const result = spawnSync('npm', [...args, '--ignore-scripts'], { cwd: stage, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) fail(`npm pack failed in ${stage}:\n${result.stderr}`);
  const [report] = JSON.parse(result.stdout);
  return {
    name: report.name,
    version: report.version,
    filename: values['dry-run'] ? null : report.filename,
    stage,
    size: report.size,
    unpackedSize: report.unpackedSize,
    entryCount: report.entryCount,
    files: report.files.map((file) => ({ path: file.path, size: file.size })),
  };
}

/** Drops the `//# sourceMappingURL=` line a build leaves at the end of each file: the map is not shipped. */
function stripSourceMapComment(file) {
  const text = readFileSync(file, 'utf8');
  const stripped = text.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n');
  if (stripped !== text) writeFileSync(file, stripped, { mode: statSync(file).mode });
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

function fail(message) {
  process.stderr.write(`pack: ${message}\n`);
  process.exit(1);
}
