// What the tests of the real claude, codex and gemini CLIs share: a signed-out user's environment in a temp
// home, a repository, an in-process daemon, the states hooks reported, and Enter pressed until a dialog takes it.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ControlClient, Frame } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { Daemon } from '../src/daemon.js';
import { stripAnsi } from '../src/sessions/index.js';
import { stopDaemon, until } from './daemon-fixture.js';
import { endProcessesUnder, installRealClis, type RealClis } from './real-clis.js';

const VIBE_BIN = fileURLToPath(new URL('../../../bin/vibe', import.meta.url));
const scriptsDir = fileURLToPath(new URL('../dist', import.meta.url));
/** Under the root node_modules: outside git's view, and kept between runs. */
const cacheDir = fileURLToPath(new URL('../../../node_modules/.cache/vibe-real-clis', import.meta.url));
export const INSTALL_TIMEOUT_MS = 540_000;
export const FIRST_SCREEN_TIMEOUT_MS = 45_000;

/**
 * Variables that would point a CLI at the real user's configuration or credentials, or mark the run as CI:
 * the daemon hands its environment to sessions, and with CI=true Gemini CLI runs headless even with
 * --prompt-interactive (it prints "not running in a trusted directory" and exits). Unset for each test, so
 * every CLI sees what it would on a signed-out user's machine.
 */
const HIDDEN_VARIABLES = [
  'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME',
  'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN', 'OPENAI_API_KEY', 'CODEX_API_KEY', 'VIBE_TEST_MODEL_KEY', 'GEMINI_API_KEY',
  'GOOGLE_API_KEY', 'GOOGLE_GEMINI_BASE_URL', 'GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_GENAI_USE_VERTEXAI', 'GOOGLE_GENAI_USE_GCA', 'CI', 'GITHUB_ACTIONS',
];

/** Installs (or finds) the CLIs once per file and says which versions run. */
export async function realClis(): Promise<RealClis> {
  const clis = await installRealClis(cacheDir, INSTALL_TIMEOUT_MS);
  const versions = Object.entries(clis.versions).map(([name, version]) => `${name} ${version}`).join(', ');
  const how = clis.installed ? `npm install took ${(clis.installMs / 1000).toFixed(1)} s` : 'an earlier install reused';
  process.stderr.write(`real agent CLIs (${how}): ${versions || 'none runnable'}\n`);
  return clis;
}

/** One test's world: a temp dir with the user's home and a repository, the daemon once started, and its client. */
export class RealCliWorld {
  readonly dir = mkdtempSync(join(tmpdir(), 'vibe-real-'));
  readonly home = join(this.dir, 'user');
  readonly repo = join(this.dir, 'repo');
  daemon: Daemon | undefined;
  client: ControlClient | undefined;
  private readonly savedEnv = new Map<string, string | undefined>();

  constructor(clis: RealClis) {
    mkdirSync(this.home);
    // A fresh Claude Code runs onboarding, whose connectivity check fails here and exits the CLI. A user who
    // has run it once has this flag; the first screen is then the workspace trust dialog, which waits.
    writeFileSync(join(this.home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true }));
    // The daemon (and the tmux server it starts) passes its environment on to every session.
    this.setEnv('HOME', this.home);
    for (const key of HIDDEN_VARIABLES) this.setEnv(key, undefined);
    this.setEnv('PATH', `${clis.binDir}:${process.env.PATH ?? ''}`);
    mkdirSync(this.repo);
    execFileSync('git', ['init', '-q', '-b', 'main', this.repo]);
    writeFileSync(join(this.repo, 'README.md'), '# repo\n');
    execFileSync('git', ['-C', this.repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'add', '.']);
    execFileSync('git', ['-C', this.repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init']);
  }

  /** Sets a variable for this test (the daemon and its sessions inherit it); `dispose` restores it. */
  setEnv(key: string, value: string | undefined): void {
    if (!this.savedEnv.has(key)) this.savedEnv.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }

  /** The daemon's VIBE_HOME, for running the real `vibe` against it. */
  get vibeHome(): string {
    return join(this.dir, 'home');
  }

  async startDaemon(): Promise<ControlClient> {
    const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: this.vibeHome }), version: 't', validateResults: true, scriptsDir });
    if (outcome.status !== 'ready') throw new Error('daemon did not start');
    this.daemon = outcome.daemon;
    this.client = (await connectToDaemon(this.daemon.paths.socket, { client: { name: 'test', version: '0' } })).client;
    await this.client.request('project.register', { path: this.repo, baseBranch: 'main' });
    return this.client;
  }

  /** The states hooks reported, in order (a report that changed nothing too), from the daemon's log. */
  /** The real CLI (`bin/vibe`) against this world's daemon; never throws, whatever it exits with. */
  vibe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(VIBE_BIN, args, { env: { ...process.env, VIBE_HOME: this.vibeHome, NO_COLOR: '1' } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  statesFromHooks(): string[] {
    return readFileSync(this.daemon!.paths.logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('agent state from its hook'))
      .map((line) => (JSON.parse(line) as { state: string }).state);
  }

  async dispose(): Promise<void> {
    this.client?.close();
    if (this.daemon) await stopDaemon(this.daemon);
    const strays = await endProcessesUnder(this.dir);
    if (strays.length > 0) process.stderr.write(`ended ${strays.length} process(es) left under ${this.dir}: ${strays.join(' ')}\n`);
    for (const [key, value] of this.savedEnv) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The text a viewer's terminal would show, roughly: cursor moves become whitespace (TUIs skip over blank
 * cells rather than print them), other escapes go, and runs of whitespace collapse to one space.
 */
export function screenText(frames: Frame[]): string {
  const bytes = Buffer.concat(frames.map((frame) => Buffer.from(frame.payload))).toString('utf8');
  const spaced = bytes.replace(/\x1b\[(\d*)C/g, (_, n: string) => ' '.repeat(Math.min(Number(n || 1), 200))).replace(/\x1b\[[\d;]*[HfdGABEF]/g, '\n');
  return stripAnsi(spaced).replace(/\s+/g, ' ');
}

/**
 * Presses Enter on a dialog until `moved` says it took. A CLI can draw a dialog a moment before it listens
 * for keys, and on a loaded machine a key sent in that moment is lost; a spare Enter in an empty prompt
 * afterwards does nothing. At most four presses.
 */
export async function pressEnterUntil<T>(control: ControlClient, session: number, read: () => Promise<T>, moved: (value: T) => boolean, what: string): Promise<T> {
  const tries = 4;
  for (let attempt = 1; ; attempt++) {
    await control.request('session.send', { session, text: '', enter: true });
    try {
      return await until(read, moved, what, attempt === tries ? FIRST_SCREEN_TIMEOUT_MS : 8_000);
    } catch (error) {
      if (attempt === tries) throw error;
    }
  }
}
