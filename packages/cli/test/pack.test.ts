// What each published package holds, read from `npm pack --dry-run --json` of its stage (scripts/pack.mjs):
// its built JavaScript, README, LICENSE and package.json — no sources, tests or source maps, nothing a file
// refers to missing, the runtime dependencies only, and each within its size budget (docs/benchmarks.md).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Packed {
  name: string;
  version: string;
  filename: null;
  stage: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/** The budgets, in bytes: the tarball and what it unpacks to. Raising one is a decision for docs/benchmarks.md. */
const BUDGETS: Record<string, { packed: number; unpacked: number }> = {
  '@vibe/cli': { packed: 1_536 * 1024, unpacked: 8 * 1024 * 1024 },
  // The web view (issue 10) added ~180 KiB packed: xterm.js and the page, whose gzip size has its own benchmark.
  '@vibe/relay-server': { packed: 640 * 1024, unpacked: 3_584 * 1024 },
};

/**
 * The whole of what a package may ship: its manifest, README, LICENSE and built JavaScript (and a bin launcher),
 * and the web view's built files (its page, script, stylesheet, manifest and icons).
 */
const ALLOWED = /^(package\.json|README\.md|LICENSE|dist\/.+\.js|bin\/[^/]+\.js|dist\/(relay\/)?web\/[\w-]+\.(html|js|css|webmanifest|png))$/;

let out: string;
let packed: Packed[];

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'vibe-pack-'));
  packed = JSON.parse(execFileSync(process.execPath, [join(root, 'scripts', 'pack.mjs'), '--dry-run', '--json', '--out', out], { encoding: 'utf8' })) as Packed[];
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const workspaceVersion = (JSON.parse(readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }).version;

describe('the published packages', () => {
  it('are @vibe/cli and @vibe/relay-server, at the workspace version', () => {
    expect(packed.map((p) => `${p.name}@${p.version}`)).toEqual([`@vibe/cli@${workspaceVersion}`, `@vibe/relay-server@${workspaceVersion}`]);
  });

  it.each(Object.keys(BUDGETS))('%s holds only what it runs: no sources, tests or maps', (name) => {
    const { files } = packed.find((p) => p.name === name)!;
    expect(files.map((f) => f.path).filter((path) => !ALLOWED.test(path))).toEqual([]);
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/main.js']));
    expect(files.filter((f) => /\.test\.|\/test\/|\.ts$|\.map$/.test(f.path))).toEqual([]);
  });

  it.each(Object.keys(BUDGETS))('%s refers to no file it lacks: no source map comments, every relative import shipped', (name) => {
    const { files, stage } = packed.find((p) => p.name === name)!;
    const shipped = new Set(files.map((f) => f.path));
    for (const { path } of files.filter((f) => f.path.endsWith('.js'))) {
      const text = readFileSync(join(stage, path), 'utf8');
      expect(text, path).not.toMatch(/sourceMappingURL/);
      for (const [, specifier] of text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+\.js)["']/g)) {
        expect(shipped.has(posix.normalize(posix.join(posix.dirname(path), specifier!))), `${path} imports ${specifier}`).toBe(true);
      }
    }
  });

  it.each(Object.keys(BUDGETS))('%s stays within its size budget', (name) => {
    const { size, unpackedSize } = packed.find((p) => p.name === name)!;
    expect(size).toBeLessThanOrEqual(BUDGETS[name]!.packed);
    expect(unpackedSize).toBeLessThanOrEqual(BUDGETS[name]!.unpacked);
  });

  it('publish manifests without workspace-only fields; the CLI depends on the native modules alone, the relay on nothing', () => {
    const manifest = (name: string) => JSON.parse(readFileSync(join(packed.find((p) => p.name === name)!.stage, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const name of Object.keys(BUDGETS)) {
      const m = manifest(name);
      for (const field of ['private', 'scripts', 'devDependencies']) expect(m, `${name} ${field}`).not.toHaveProperty(field);
      expect(m).toMatchObject({ license: 'MIT', type: 'module', engines: { node: '>=20.19' } });
    }
    expect(Object.keys(manifest('@vibe/cli').dependencies as object).sort()).toEqual(['@napi-rs/keyring', 'better-sqlite3', 'node-pty']);
    expect(manifest('@vibe/cli').bin).toEqual({ vibe: './dist/main.js' });
    expect(manifest('@vibe/relay-server').dependencies).toBeUndefined();
    expect(manifest('@vibe/relay-server').bin).toEqual({ 'vibe-relay': './bin/vibe-relay.js' });
  });

  it('carry the daemon and the relay inside the CLI, each daemon entry one self-contained file', () => {
    const paths = packed.find((p) => p.name === '@vibe/cli')!.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['dist/daemon/main.js', 'dist/daemon/runner.js', 'dist/daemon/hook.js', 'dist/daemon/pty-worker.js', 'dist/relay/main.js']));
    expect(paths.filter((path) => path.startsWith('dist/daemon/')).sort()).toEqual([
      'dist/daemon/hook.js',
      'dist/daemon/main.js',
      'dist/daemon/pty-worker.js',
      'dist/daemon/runner.js',
    ]);
  });

  it('carry the whole web view wherever a relay ships, so `vibe connect` serves it too', () => {
    const web = ['index.html', 'app.js', 'app.css', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png'];
    const paths = (name: string) => packed.find((p) => p.name === name)!.files.map((f) => f.path);
    expect(paths('@vibe/relay-server')).toEqual(expect.arrayContaining(web.map((file) => `dist/web/${file}`)));
    expect(paths('@vibe/cli')).toEqual(expect.arrayContaining(web.map((file) => `dist/relay/web/${file}`)));
  });
});
