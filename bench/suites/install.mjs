// Install figures: the packed size of each published package, `npm i -g` of @vibe/cli from a warm npm cache
// (its native modules installed as on a user's machine: prebuilt where npm can fetch them, compiled here),
// and cold `vibe --version` and `vibe task ls` from that global install as ratios to `node -e 0`, beside the
// checkout's `bin/vibe task ls` against the same daemon.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { median, nowMs, root, timeCommand, vibeBin } from '../lib.mjs';

const TASKS = 1000;
const RUNS = 21;

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'vibe-bench-install-'));
  const prefix = join(dir, 'prefix');
  const vibe = join(prefix, 'bin', 'vibe');
  const env = installEnv(dir, prefix);
  const repo = join(dir, 'benchrepo');
  try {
    const packed = JSON.parse(execFileSync(process.execPath, [join(root, 'scripts', 'pack.mjs'), '--out', join(dir, 'packs'), '--json'], { encoding: 'utf8' }));
    const cli = packed.find((p) => p.name === '@vibe/cli');
    const installMs = timeCommand('npm', ['install', '--global', '--prefix', prefix, join(dir, 'packs', cli.filename)], { cwd: dir, env });

    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    writeFileSync(join(repo, 'README.md'), 'bench\n');
    execFileSync('git', ['-C', repo, '-c', 'user.name=bench', '-c', 'user.email=b@e', 'commit', '-qam', 'init', '--allow-empty']);
    execFileSync(vibe, ['up'], { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const status = JSON.parse(execFileSync(vibe, ['status', '--json'], { cwd: repo, env }).toString());
    await addTasks(status.socketPath);

    const times = { node: [], version: [], ls: [], checkoutLs: [] };
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so drift on a busy machine touches every command alike.
      times.node.push(timeCommand(process.execPath, ['-e', '0'], { cwd: repo, env }));
      times.version.push(timeCommand(vibe, ['--version'], { cwd: repo, env }));
      times.ls.push(timeCommand(vibe, ['task', 'ls', '--json'], { cwd: repo, env }));
      times.checkoutLs.push(timeCommand(vibeBin, ['task', 'ls', '--json'], { cwd: repo, env: { ...process.env, VIBE_HOME: env.VIBE_HOME } }));
    }
    const [node, version, ls, checkoutLs] = [times.node, times.version, times.ls, times.checkoutLs].map(median);
    return [
      ...packed.map((p) => ({ name: `${p.name} packed (unpacked ${(p.unpackedSize / 1024 / 1024).toFixed(1)} MB, ${p.entryCount} files)`, value: p.size / 1024, unit: 'KiB' })),
      { name: 'npm i -g @vibe/cli, warm cache (native modules built here)', value: installMs / 1000, unit: 's' },
      { name: 'node -e 0, median', value: node, unit: 'ms' },
      { name: 'installed vibe --version (asks the daemon) / node -e 0', value: version / node, unit: 'x' },
      { name: `installed vibe task ls --json (${TASKS} tasks) / node -e 0`, value: ls / node, unit: 'x', target: '<= 2.5', ok: ls / node <= 2.5 },
      { name: 'checkout bin/vibe task ls --json / node -e 0', value: checkoutLs / node, unit: 'x' },
      // "No slower than the checkout": 5 % is the run-to-run noise of these medians on this VM.
      { name: 'installed / checkout task ls', value: ls / checkoutLs, unit: 'x', target: '<= 1.05', ok: ls / checkoutLs <= 1.05 },
    ];
  } finally {
    spawnSync(vibe, ['down'], { cwd: repo, env });
    spawnSync('tmux', ['-S', join(env.VIBE_HOME, 'run', 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** This machine's environment with a fresh HOME and VIBE_HOME, npm's cache and settings kept, nothing of the checkout on PATH. */
function installEnv(dir, prefix) {
  const npmSetting = (name) => {
    const value = execFileSync('npm', ['config', 'get', name], { encoding: 'utf8' }).trim();
    return value === '' || value === 'undefined' || value === 'null' ? undefined : value;
  };
  const cache = npmSetting('cache');
  const userconfig = npmSetting('userconfig');
  const home = join(dir, 'home');
  mkdirSync(home);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NODE_PATH$|NODE_OPTIONS$|INIT_CWD$|VIBE_)/i.test(name)));
  const path = (process.env.PATH ?? '').split(':').filter((entry) => entry && !entry.startsWith(root) && !entry.includes('node_modules'));
  return {
    ...inherited,
    PATH: [join(prefix, 'bin'), dirname(process.execPath), ...path].join(':'),
    HOME: home,
    VIBE_HOME: join(dir, 'vibe-home'),
    NO_COLOR: '1',
    ...(cache && { npm_config_cache: cache }),
    ...(userconfig && { npm_config_userconfig: userconfig }),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

async function addTasks(socket) {
  const { connectToDaemon } = await import(join(root, 'packages', 'protocol', 'dist', 'node', 'index.js'));
  const { client } = await connectToDaemon(socket, { client: { name: 'bench', version: '0' } });
  const start = nowMs();
  for (let i = 0; i < TASKS; i++) await client.request('task.create', { project: 'benchrepo', title: `bench task ${i}` });
  client.close();
  return nowMs() - start;
}
