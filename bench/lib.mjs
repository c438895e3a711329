// Shared bench helpers: a scratch git repo with an isolated daemon, timing, medians and the result table.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const vibeBin = join(root, 'bin', 'vibe');

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Wall time of one run of a command, in ms; throws if it fails. */
export function timeCommand(command, args, options) {
  const start = nowMs();
  const result = spawnSync(command, args, { ...options, maxBuffer: 256 * 1024 * 1024 });
  const elapsed = nowMs() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return elapsed;
}

/** A temp git repository and a daemon of its own under a temp VIBE_HOME. Call dispose() when done. */
export function startScratchDaemon({ configure, env: extraEnv } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vibe-bench-'));
  const repo = join(dir, 'benchrepo');
  const env = { ...process.env, ...extraEnv, VIBE_HOME: join(dir, 'home'), NO_COLOR: '1' };
  configure?.(env.VIBE_HOME);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'README.md'), 'bench\n');
  execFileSync('git', ['-C', repo, 'add', '.']);
  execFileSync('git', ['-C', repo, '-c', 'user.name=bench', '-c', 'user.email=b@e', 'commit', '-qm', 'init']);
  execFileSync(vibeBin, ['up'], { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const status = JSON.parse(execFileSync(vibeBin, ['status', '--json'], { cwd: repo, env }).toString());
  return {
    dir,
    repo,
    env,
    pid: status.pid,
    socket: status.socketPath,
    dispose() {
      spawnSync(vibeBin, ['down'], { cwd: repo, env });
      spawnSync('tmux', ['-S', join(env.VIBE_HOME, 'run', 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resident set size of a process in MB, from /proc. */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function printTable(rows) {
  const header = ['benchmark', 'value', 'target', 'ok'];
  const lines = rows.map((row) => [row.name, `${format(row.value)} ${row.unit}`, row.target ?? '', row.ok === undefined ? '' : row.ok ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const render = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  console.log(render(header));
  console.log(render(widths.map((w) => '-'.repeat(w))));
  for (const line of lines) console.log(render(line));
}

function format(value) {
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/**
 * Bundles `contents` (imports from the workspace's TypeScript sources, relative to the root) with esbuild
 * into bench/results/NAME.mjs and imports it, so a suite needs no build entry of its own.
 */
export async function bundleFromSource(name, contents, external) {
  const esbuild = await import('esbuild');
  const out = join(root, 'bench', 'results', `${name}.mjs`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    outfile: out,
    logLevel: 'error',
  });
  return import(pathToFileURL(out).href);
}
