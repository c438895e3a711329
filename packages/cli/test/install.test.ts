// Installing vibe as a user does: the packed tarball into a global prefix of its own with `npm i -g`, a fresh
// HOME and VIBE_HOME, the checkout and its node_modules out of reach — then using it, and upgrading it under
// a live session. Release A is the current sources packed with a lower version (vibe reads its version from
// the installed package.json), release B the current one. Each install builds the native modules, so this
// file takes minutes; its steps run in order and share one installation.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followRelayLog, getJson } from '../../relay-server/test/helpers.js';
import { eventually, type RunResult } from './harness.js';
import { hasTmux } from './tmux.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const current = (JSON.parse(readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }).version;
const OLD = '0.0.1';
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const hasNpm = spawnSync('npm', ['--version'], { stdio: 'ignore' }).status === 0;

let dir: string;
let prefix: string;
let vibeHome: string;
let repo: string;
let env: Record<string, string>;
const tarballs: Record<'old' | 'new' | 'relay', string> = { old: '', new: '', relay: '' };

interface Task {
  number: number;
  title: string;
  status: string;
  attempts: number;
  session: { id: number; state: string } | null;
}

/** The packed tarballs of @vibe/cli and @vibe/relay-server, with `version` stamped in when given. */
function pack(out: string, version?: string): { cli: string; relay: string } {
  const args = [join(root, 'scripts', 'pack.mjs'), '--out', out, '--json', ...(version ? ['--version', version] : [])];
  const packed = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })) as { name: string; filename: string }[];
  const tarball = (name: string) => join(out, packed.find((p) => p.name === name)!.filename);
  return { cli: tarball('@vibe/cli'), relay: tarball('@vibe/relay-server') };
}

/** npm's own settings from this machine (where its cache is, how it builds native modules), and nothing else of ours. */
function npmSetting(name: string): string | undefined {
  const value = execFileSync('npm', ['config', 'get', name], { encoding: 'utf8' }).trim();
  return value === '' || value === 'undefined' || value === 'null' ? undefined : value;
}

function run(command: string, args: string[], options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? dir, env: { ...env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const vibe = (args: string[], cwd = repo): Promise<RunResult> => run(join(prefix, 'bin', 'vibe'), args, { cwd });

async function vibeJson<T>(args: string[]): Promise<T> {
  const result = await vibe([...args, '--json']);
  if (result.code !== 0) throw new Error(`vibe ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

async function install(tarball: string): Promise<void> {
  const result = await run('npm', ['install', '--global', '--prefix', prefix, tarball], { timeoutMs: INSTALL_TIMEOUT_MS });
  expect(result.code, result.stderr).toBe(0);
}

/** vibe's own tmux server, which holds the sessions. */
function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', join(vibeHome, 'run', 'tmux.sock'), ...args], { encoding: 'utf8' });
}

/** `vibe attach` in a real pty; resolves with everything it drew once `expected` appears, after typing `keys`. */
async function attach(number: number, keys: string, expected: RegExp): Promise<string> {
  const term = pty.spawn(join(prefix, 'bin', 'vibe'), ['attach', String(number)], { cols: 100, rows: 30, cwd: repo, env });
  let screen = '';
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  term.onData((data) => (screen += data));
  try {
    await eventually(async () => (screen.includes('\x1b[?1049h') ? true : undefined), 'vibe attach to take the screen');
    term.write(keys);
    await eventually(async () => (expected.test(screen) ? true : undefined), `${expected} on the attached screen`);
    term.write('\x1d');
    expect(await exited).toBe(0);
    return screen;
  } finally {
    term.kill();
  }
}

/** Whether `pid` runs: present and not a zombie (a daemon whose parent is gone may wait for a reaper that never comes). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function daemonPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const daemon = environ.includes(`VIBE_HOME=${vibeHome}`) && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('/dist/daemon/main.js');
      if (daemon && running(Number(entry))) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

beforeAll(() => {
  if (!hasNpm || !hasTmux) return;
  dir = mkdtempSync(join(tmpdir(), 'vibe-install-'));
  prefix = join(dir, 'prefix');
  vibeHome = join(dir, 'vibe-home');
  const home = join(dir, 'home');
  mkdirSync(home);
  const cache = npmSetting('cache');
  const userconfig = npmSetting('userconfig');
  // The machine's environment (its CA certificates, proxies, locale) minus everything that leads back to the
  // checkout: its node_modules/.bin on PATH, NODE_PATH, what `npm test` exports, vibe's own variables.
  const inherited = Object.entries(process.env).filter(
    ([name]) => !/^(npm_|NODE_PATH$|NODE_OPTIONS$|INIT_CWD$|VIBE_|VITEST|TEST$)/i.test(name),
  ) as [string, string][];
  const path = (process.env.PATH ?? '/usr/bin:/bin').split(':').filter((entry) => entry !== '' && !entry.startsWith(root) && !entry.includes('node_modules'));
  env = {
    ...Object.fromEntries(inherited),
    PATH: [join(prefix, 'bin'), dirname(process.execPath), ...path].join(':'),
    HOME: home,
    VIBE_HOME: vibeHome,
    TERM: 'xterm-256color',
    NO_COLOR: '1',
    ...(cache && { npm_config_cache: cache }),
    ...(userconfig && existsSync(userconfig) && { npm_config_userconfig: userconfig }),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  tarballs.old = pack(join(dir, 'packs-old'), OLD).cli;
  ({ cli: tarballs.new, relay: tarballs.relay } = pack(join(dir, 'packs-new')));
  repo = join(dir, 'myapp');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '--allow-empty', '-m', 'init']);
}, 60_000);

afterAll(async () => {
  if (!dir) return;
  await vibe(['down']).catch(() => undefined);
  spawnSync('tmux', ['-S', join(vibeHome, 'run', 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
  for (const pid of daemonPids()) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(!hasNpm || !hasTmux)('vibe installed with npm i -g', () => {
  let before: Task[];
  let panePid: string;
  let serviceUnit: string;

  it('installs from the tarball into a global prefix and runs from there, not from the checkout', async () => {
    await install(tarballs.old);
    const entry = realpathSync(join(prefix, 'bin', 'vibe'));
    expect(entry).toBe(join(prefix, 'lib', 'node_modules', '@vibe', 'cli', 'dist', 'main.js'));
    expect(entry.startsWith(root)).toBe(false);
    const version = await vibe(['--version'], dir);
    expect(version).toMatchObject({ code: 0, stdout: `vibe ${OLD}\ndaemon not running\n`, stderr: '' });
  }, INSTALL_TIMEOUT_MS);

  it('starts its daemon with `vibe up` in a new repository and runs a shell task in tmux', async () => {
    const up = await vibe(['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(new RegExp(`daemon +started \\(pid \\d+, version ${OLD.replaceAll('.', '\\.')}\\)`));
    const added = await vibeJson<{ task: Task }>(['task', 'add', 'Count to three hundred', '--agent', 'shell', '--start']);
    // Scrollback a restart must not lose: three hundred lines, most of them off the screen.
    await attach(added.task.number, 'seq -f line-%g 1 300\r', /line-300/);
    // Once the shell has gone quiet the task is in review; the list is settled and must read the same after.
    before = await eventually(async () => {
      const { tasks } = await vibeJson<{ tasks: Task[] }>(['task', 'ls']);
      return tasks[0]?.status === 'in_review' ? tasks : undefined;
    }, 'the quiet shell to put its task in review', 30_000);
    panePid = tmux('list-panes', '-a', '-F', '#{pane_pid}').trim();
    expect(panePid).toMatch(/^\d+$/);
    const service = await vibeJson<{ content: string }>(['service', 'install', '--dry-run']);
    serviceUnit = service.content;
    // The launcher npm linked, which the next `npm i -g` keeps, and not the package folder behind it.
    expect(serviceUnit).toContain(`${join(prefix, 'bin', 'vibe')} daemon run\n`);
    expect(serviceUnit).not.toContain('node_modules');
  });

  it('upgrades over a running daemon: every command says so, `vibe up` replaces it and the session lives on', async () => {
    const oldPid = (await vibeJson<{ pid: number }>(['status'])).pid;
    await install(tarballs.new);
    const ls = await vibe(['task', 'ls']);
    expect(ls.code).toBe(0);
    expect(ls.stderr).toBe(`vibe: the running daemon is vibe ${OLD}, this vibe is ${current}: \`vibe up\` replaces the daemon in place (every session keeps running)\n`);

    const up = await vibe(['up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    const report = JSON.parse(up.stdout) as { pid: number; version: string; started: boolean; replaced: { version: string; pid: number } };
    expect(report).toMatchObject({ version: current, started: true, replaced: { version: OLD, pid: oldPid } });
    expect(report.pid).not.toBe(oldPid);
    expect(running(oldPid)).toBe(false);

    // The same shell process in the same pane, its scrollback whole; the tasks as they were.
    expect(tmux('list-panes', '-a', '-F', '#{pane_pid}').trim()).toBe(panePid);
    const scrollback = tmux('capture-pane', '-p', '-S', '-', '-t', tmux('list-panes', '-a', '-F', '#{pane_id}').trim());
    for (const n of [1, 150, 300]) expect(scrollback).toContain(`line-${n}\n`);
    const after = (await vibeJson<{ tasks: Task[] }>(['task', 'ls'])).tasks;
    const shape = (tasks: Task[]) => tasks.map(({ number, title, status, attempts, session }) => ({ number, title, status, attempts, session: session?.id }));
    expect(shape(after)).toEqual(shape(before));
    expect(after[0]!.session?.state).not.toBe('exited');
    const version = await vibe(['--version']);
    expect(version.stdout).toBe(`vibe ${current}\ndaemon ${current} (pid ${report.pid})\n`);
    expect((await vibe(['task', 'ls'])).stderr).toBe('');
    // The service file an installed vibe writes is the same after the upgrade, and what it runs is there.
    expect((await vibeJson<{ content: string }>(['service', 'install', '--dry-run'])).content).toBe(serviceUnit);
  }, INSTALL_TIMEOUT_MS);

  it('attaches to the adopted session through a real pty, then stops it and starts another with the new vibe', async () => {
    const [task] = before;
    await attach(task!.number, 'echo adopted-$((6*7))\r', /adopted-42/);
    expect((await vibe(['task', 'stop', String(task!.number)])).code).toBe(0);
    const added = await vibeJson<{ task: Task }>(['task', 'add', 'After the upgrade', '--agent', 'shell', '--start']);
    await attach(added.task.number, 'echo fresh-$((6*7))\r', /fresh-42/);
    expect((await vibe(['task', 'stop', String(added.task.number)])).code).toBe(0);
    const down = await vibe(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(daemonPids()).toEqual([]);
  });

  it('runs through npx from the tarball as well: `npx --package <tarball> vibe up`', async () => {
    // npx keeps what it installs in its cache, keyed by the tarball's path: a cache of this test's own, removed with it.
    const npx = (args: string[]) =>
      run('npx', ['--yes', '--package', tarballs.new, 'vibe', ...args], { cwd: repo, timeoutMs: INSTALL_TIMEOUT_MS, env: { npm_config_cache: join(dir, 'npx-cache') } });
    const up = await npx(['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(new RegExp(`daemon +started \\(pid \\d+, version ${current.replaceAll('.', '\\.')}\\)`));
    const down = await npx(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(daemonPids()).toEqual([]);
  }, INSTALL_TIMEOUT_MS);

  it('refuses a database written by a newer vibe and leaves it byte for byte as it was', async () => {
    // As a newer vibe that was killed leaves it: its schema and last writes still in the WAL, not in the file —
    // so opening it for writing would change the file (a checkpoint), and only a read-only look leaves it alone.
    const database = join(vibeHome, 'data', 'vibe.db');
    const db = new Database(database);
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`user_version = ${(db.pragma('user_version', { simple: true }) as number) + 1}`);
    db.exec("INSERT INTO projects (name, path, base_branch, created_at) VALUES ('future', '/future', 'main', '2027-01-01T00:00:00.000Z')");
    const crashed = join(dir, 'crashed');
    mkdirSync(crashed);
    for (const suffix of ['', '-wal']) copyFileSync(`${database}${suffix}`, join(crashed, `vibe.db${suffix}`));
    db.close();
    for (const suffix of ['', '-wal']) copyFileSync(join(crashed, `vibe.db${suffix}`), `${database}${suffix}`);
    const hash = () => createHash('sha256').update(readFileSync(database)).digest('hex');
    const sealed = hash();
    const up = await vibe(['up']);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toMatch(/^vibe: the daemon could not start: database .*vibe\.db was written by a newer vibe \(schema \d+, this build knows \d+\); upgrade vibe\n$/);
    expect(hash()).toBe(sealed);
    // The refused daemon reports and then exits; on a loaded machine the exit may trail the report a little.
    const deadline = Date.now() + 10_000;
    while (daemonPids().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(daemonPids()).toEqual([]);
  });
});

describe.skipIf(!hasNpm || !hasTmux)('the relay installed with npm i -g', () => {
  it('installs with no dependencies, serves /healthz and stops on SIGTERM with exit 0', async () => {
    const relayPrefix = join(dir, 'relay-prefix');
    const installed = await run('npm', ['install', '--global', '--prefix', relayPrefix, tarballs.relay], { timeoutMs: INSTALL_TIMEOUT_MS });
    expect(installed.code, installed.stderr).toBe(0);
    expect(existsSync(join(relayPrefix, 'lib', 'node_modules', '@vibe', 'relay-server', 'node_modules'))).toBe(false);
    const child = spawn(join(relayPrefix, 'bin', 'vibe-relay'), ['--port', '0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const { listening, exited } = followRelayLog(child, 'the installed vibe-relay', 30_000);
    try {
      const { url } = (await listening) as { url: string };
      expect(await getJson(`${url}/healthz`)).toMatchObject({ status: 'ok', daemons: 0, clients: 0 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
  }, INSTALL_TIMEOUT_MS);
});
