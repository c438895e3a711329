// Cross-process test harness: temp git repositories, an isolated VIBE_HOME, and the real bin/vibe.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const vibeBin = fileURLToPath(new URL('../../../bin/vibe', import.meta.url));
/** The scripted stand-in for an agent CLI (see its header for the script language). */
export const fakeAgentPath = fileURLToPath(new URL('../../daemon/test/fixtures/fake-agent.mjs', import.meta.url));

/** A custom agent entry for config.json that runs the fake agent with `script`, reporting states through vibe's hook. */
export function fakeAgent(script: string): Record<string, unknown> {
  return { command: [process.execPath, fakeAgentPath, '--script', script], prompt: 'none', hooks: 'env' };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  input?: string | Uint8Array;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** A sandbox: a temp dir holding VIBE_HOME and any git repositories a test makes. */
export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'vibe-e2e-'));
  readonly home = join(this.dir, 'home');
  readonly env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    VIBE_HOME: this.home,
    VIBE_VALIDATE_RESULTS: '1',
    NO_COLOR: '1',
  };

  /** Writes $VIBE_HOME/config/config.json (before `vibe up`: the daemon reads it when it starts). */
  configure(config: Record<string, unknown>): void {
    mkdirSync(join(this.home, 'config'), { recursive: true });
    writeFileSync(join(this.home, 'config', 'config.json'), JSON.stringify(config, null, 2));
  }

  /** A git repository with one commit on `branch`. */
  repo(name = 'app', branch = 'main'): string {
    const path = join(this.dir, name);
    mkdirSync(path, { recursive: true });
    execFileSync('git', ['init', '-q', '-b', branch, path]);
    writeFileSync(join(path, 'README.md'), `# ${name}\n`);
    execFileSync('git', ['-C', path, 'add', '.']);
    execFileSync('git', ['-C', path, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init']);
    return path;
  }

  vibe(args: string[], options: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(vibeBin, args, {
        cwd: options.cwd ?? this.dir,
        env: { ...this.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      // vibe may stop reading its input early (an over-long description): EPIPE here is its answer, not ours to raise.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input ?? '');
    });
  }

  /** Runs vibe and parses its stdout as the single JSON document it must be. */
  async json<T = Record<string, unknown>>(args: string[], options: RunOptions = {}): Promise<T> {
    const result = await this.vibe([...args, '--json'], options);
    if (result.code !== 0) throw new Error(`vibe ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  /** Pids of live daemon processes whose VIBE_HOME is this sandbox's. */
  daemonPids(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (!cmdline.includes('/dist/daemon/main.js') && !cmdline.includes('/daemon/dist/main.js')) continue;
        const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
        if (environ.includes(`VIBE_HOME=${this.home}`)) pids.push(Number(entry));
      } catch {
        // The process ended while we looked.
      }
    }
    return pids;
  }

  /**
   * Stops any daemon this sandbox started (by pid), then the daemon's tmux server — which by design outlives
   * the daemon, agents and all — and removes the sandbox.
   */
  async dispose(): Promise<void> {
    await this.vibe(['down']).catch(() => undefined);
    spawnSync('tmux', ['-S', join(this.home, 'run', 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
    for (const pid of this.daemonPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls an async check until it returns a value other than undefined; the last value seen goes in the timeout error. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await check().catch((error: unknown) => {
      last = error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : ` (last: ${String(last)})`}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** True while `pid` runs; a zombie (exited, not yet reaped by whoever adopted it) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
