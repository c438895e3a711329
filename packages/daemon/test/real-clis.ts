// Installs the real claude, codex and gemini CLIs from npm into a cache outside git's view, once, and ends
// the processes they leave behind.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { alive } from '../src/sessions/test-support.js';

/** The agents with a built-in adapter, and the npm package each CLI comes from. */
export const REAL_CLIS = {
  claude: '@anthropic-ai/claude-code',
  codex: '@openai/codex',
  gemini: '@google/gemini-cli',
} as const;
export type RealCli = keyof typeof REAL_CLIS;

export interface RealClis {
  /** The `.bin` directory to put first on PATH. */
  binDir: string;
  /** `<cli> --version` output of each CLI that runs. */
  versions: Partial<Record<RealCli, string>>;
  /** One line per CLI that could not be had, saying why. */
  missing: Partial<Record<RealCli, string>>;
  /** Whether npm ran, and for how long. */
  installed: boolean;
  installMs: number;
}

/**
 * Makes the three CLIs runnable from `<dir>/node_modules/.bin`: an earlier install is reused when its
 * binaries answer `--version`; the rest are installed in one npm call bounded by `timeoutMs`.
 */
export async function installRealClis(dir: string, timeoutMs: number): Promise<RealClis> {
  const binDir = join(dir, 'node_modules', '.bin');
  const names = Object.keys(REAL_CLIS) as RealCli[];
  let versions = await probeAll(binDir, names);
  const absent = names.filter((name) => versions[name] === undefined);
  const missing: Partial<Record<RealCli, string>> = {};
  let installMs = 0;
  if (absent.length > 0) {
    mkdirSync(dir, { recursive: true });
    const started = Date.now();
    const failures = await npmInstall(dir, absent, timeoutMs);
    installMs = Date.now() - started;
    versions = { ...versions, ...(await probeAll(binDir, absent)) };
    for (const name of absent) {
      if (versions[name] !== undefined) continue;
      const failure = failures[name];
      missing[name] = failure !== undefined
        ? `could not install ${REAL_CLIS[name]} from npm: ${failure}`
        : `${REAL_CLIS[name]} installed but \`${name} --version\` does not run`;
    }
  }
  return { binDir, versions, missing, installed: absent.length > 0, installMs };
}

async function probeAll(binDir: string, names: RealCli[]): Promise<Partial<Record<RealCli, string>>> {
  const answers = await Promise.all(names.map(async (name) => [name, await probe(join(binDir, name))] as const));
  return Object.fromEntries(answers.filter(([, version]) => version !== undefined));
}

/** The first line `bin --version` prints, or undefined when it is missing or fails. */
function probe(bin: string): Promise<string | undefined> {
  if (!existsSync(bin)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(bin, ['--version'], { timeout: 60_000 }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim().split('\n')[0]);
    });
  });
}

/**
 * Installs `names` in one npm call, then each on its own if that failed for a reason other than the
 * network, so that one broken package does not cost the others. Returns why each failed.
 */
async function npmInstall(dir: string, names: RealCli[], timeoutMs: number): Promise<Partial<Record<RealCli, string>>> {
  const deadline = Date.now() + timeoutMs;
  const together = await runNpm(dir, names.map((name) => REAL_CLIS[name]), timeoutMs);
  if (together === undefined) return {};
  if (names.length === 1 || NETWORK_FAILURE.test(together)) {
    return Object.fromEntries(names.map((name) => [name, `npm install ${names.map((n) => REAL_CLIS[n]).join(' ')}: ${together}`]));
  }
  const failures: Partial<Record<RealCli, string>> = {};
  for (const name of names) {
    const alone = await runNpm(dir, [REAL_CLIS[name]], Math.max(deadline - Date.now(), 1000));
    if (alone !== undefined) failures[name] = `npm install ${REAL_CLIS[name]}: ${alone}`;
  }
  return failures;
}

const NETWORK_FAILURE = /ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|did not finish/;

/**
 * `npm install --prefix dir` of `packages`; resolves with undefined on success, else one line saying why.
 * Retries are few and short, so an unreachable registry is reported in seconds, not minutes. npm runs in
 * its own process group so that a timeout ends it and every script it started.
 */
function runNpm(dir: string, packages: string[], timeoutMs: number): Promise<string | undefined> {
  const args = [
    'install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', '--no-update-notifier', '--loglevel=error',
    '--fetch-retries=1', '--fetch-retry-mintimeout=2000', '--fetch-retry-maxtimeout=5000', '--fetch-timeout=120000',
    ...packages,
  ];
  return new Promise((resolve) => {
    // Run from an npm script, npm exports its own prefix and workspace settings; this install has its own.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config_(prefix|local_prefix|global|workspaces?)|lifecycle_|package_)/i.test(key)));
    const child = spawn('npm', args, { cwd: dir, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-16_384);
    });
    const timer = setTimeout(() => {
      killGroup(child.pid);
      resolve(`did not finish within ${Math.round(timeoutMs / 1000)} s`);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(`cannot run npm: ${error.message}`);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : npmReason(stderr, code, signal));
    });
  });
}

/** npm's error code and first message line, e.g. `ENOTFOUND: request to https://… failed`. */
function npmReason(stderr: string, code: number | null, signal: NodeJS.Signals | null): string {
  const lines = stderr.split('\n').map((line) => line.replace(/^npm (error|ERR!)\s*/, '').trim());
  const errorCode = lines.find((line) => line.startsWith('code '))?.slice(5);
  const message = lines.find((line) => line !== '' && !line.startsWith('code ') && !/^(errno|syscall|A complete log)/.test(line));
  const detail = [errorCode, message].filter(Boolean).join(': ');
  return detail || `npm exited with ${signal ?? `code ${code}`}`;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // It ended already.
  }
}

/**
 * Ends every process still running from `dir` (its cwd there, or `dir` in its command line) and returns
 * their pids. Codex starts a detached app-server from its home directory, which outlives the session.
 */
export async function endProcessesUnder(dir: string): Promise<number[]> {
  const pids = processesUnder(dir);
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
  return pids;
}

function processesUnder(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cwd === dir || cwd.startsWith(`${dir}/`) || cmdline.includes(dir)) found.push(pid);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // It ended already.
  }
}
