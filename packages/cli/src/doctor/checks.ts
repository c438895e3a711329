// The checks `vibe doctor` runs, written against injected probes so their logic is testable without the machine.
import { ConfigFile, type RelayStatus } from '@vibe/protocol';
import { escapeText } from '../escape.js';
import { firstLine, type ProbeRunner } from './run-probe.js';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warn or fail. */
  hint?: string;
}

export type DaemonProbe = { running: true; pid: number; version: string; relay?: RelayStatus } | { running: false; error?: string };

export interface DoctorEnvironment {
  /** process.versions.node */
  nodeVersion: string;
  findExecutable(name: string): Promise<string | undefined>;
  run: ProbeRunner;
  /** Resolves when the OS keychain answered; rejects with why it could not be reached. */
  probeKeychain(): Promise<void>;
  configFile: string;
  /** The config file's text, or undefined when it does not exist. */
  readConfig(): Promise<string | undefined>;
  probeDaemon(): Promise<DaemonProbe>;
}

export const MIN_NODE = { major: 20, minor: 19 } as const;

const AGENTS = [
  { name: 'claude', pkg: '@anthropic-ai/claude-code' },
  { name: 'codex', pkg: '@openai/codex' },
  { name: 'gemini', pkg: '@google/gemini-cli' },
] as const;

/** Runs every check in parallel and returns them in a fixed order. */
export function runChecks(env: DoctorEnvironment): Promise<CheckResult[]> {
  return Promise.all([
    Promise.resolve(checkNode(env.nodeVersion)),
    checkProgram(env, 'git', ['--version'], {
      missing: 'fail',
      missingDetail: 'not found on PATH — vibe needs git for projects and worktrees',
      hint: 'install git (apt install git, brew install git)',
    }),
    checkProgram(env, 'tmux', ['-V'], {
      missing: 'warn',
      missingDetail: 'not found on PATH — sessions run under node-pty inside the daemon and end when it stops (no survival across `vibe down`/restarts)',
      hint: 'install tmux (apt install tmux, brew install tmux)',
    }),
    // The daemon asks perl how much typed input a tmux pane left unread (Node has no ioctl): see sessions/tty-probe.ts.
    checkProgram(env, 'perl', ['-e', 'print "perl $^V\\n"'], {
      missing: 'warn',
      missingDetail: 'not found on PATH — input typed into tmux sessions is bounded only by what the daemon holds, not by what tmux keeps for a pane that stopped reading',
      hint: 'install perl (apt install perl; macOS has it)',
    }),
    ...AGENTS.map((agent) =>
      checkProgram(env, agent.name, ['--version'], {
        missing: 'warn',
        missingDetail: 'not found on PATH — tasks cannot use this agent',
        hint: `npm i -g ${agent.pkg}`,
      }),
    ),
    checkKeychain(env),
    checkConfig(env),
    checkDaemon(env),
  ]).then((results) => results.flat());
}

export function checkNode(version: string): CheckResult {
  const match = /^v?(\d+)\.(\d+)\./.exec(version);
  const major = Number(match?.[1] ?? 0);
  const minor = Number(match?.[2] ?? 0);
  const ok = major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor);
  const detail = `v${version.replace(/^v/, '')}`;
  if (ok) return { name: 'node', status: 'pass', detail };
  return { name: 'node', status: 'fail', detail: `${detail} is too old`, hint: `install Node.js ${MIN_NODE.major}.${MIN_NODE.minor} or newer` };
}

interface ProgramSpec {
  missing: CheckStatus;
  missingDetail: string;
  hint: string;
}

async function checkProgram(env: DoctorEnvironment, name: string, args: string[], spec: ProgramSpec): Promise<CheckResult> {
  const path = await env.findExecutable(name);
  if (!path) return { name, status: spec.missing, detail: spec.missingDetail, hint: spec.hint };
  const probe = await env.run(path, args);
  if (!probe.ok) return { name, status: 'warn', detail: `${escapeText(path)} did not report a version (${escapeText(probe.reason)})`, hint: `check that \`${name} ${args.join(' ')}\` works` };
  return { name, status: 'pass', detail: `${escapeText(firstLine(probe.output)) || 'found'} (${escapeText(path)})` };
}

async function checkKeychain(env: DoctorEnvironment): Promise<CheckResult> {
  try {
    await env.probeKeychain();
    return { name: 'keychain', status: 'pass', detail: 'OS keychain reachable; the daemon keeps its identity and link secrets there' };
  } catch (error) {
    const why = keychainFailure(error instanceof Error ? error.message : String(error));
    return {
      name: 'keychain',
      status: 'warn',
      detail: `OS keychain unreachable (${escapeText(why)}) — the daemon keeps its identity and link secrets in a 0600 file in the data directory`,
      hint: 'on Linux, run a Secret Service provider (gnome-keyring, KeePassXC) in a D-Bus session to use the keychain',
    };
  }
}

/** The keychain library's error in a few words: its D-Bus messages run to a paragraph. */
export function keychainFailure(message: string): string {
  // The Secret Service test first: its errors also name org.freedesktop.DBus.
  if (/org\.freedesktop\.secrets|ServiceUnknown|secret service/i.test(message)) return 'no Secret Service provider on the D-Bus session';
  if (/DBUS_SESSION_BUS_ADDRESS|dbus-daemon autolaunch|org\.freedesktop\.DBus/i.test(message)) return 'no D-Bus session bus';
  const first = message.split('\n')[0]!.trim();
  return first.length > 80 ? `${first.slice(0, 79)}…` : first;
}

async function checkConfig(env: DoctorEnvironment): Promise<CheckResult> {
  const file = escapeText(env.configFile);
  let text: string | undefined;
  try {
    text = await env.readConfig();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { name: 'config', status: 'fail', detail: `cannot read ${file}: ${escapeText(why)}`, hint: 'check the file\'s permissions' };
  }
  if (text === undefined) return { name: 'config', status: 'pass', detail: `defaults (no ${file})` };
  const hint = 'fix the file or delete it to use the defaults';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { name: 'config', status: 'fail', detail: `${file} is not valid JSON: ${escapeText(why)}`, hint };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { name: 'config', status: 'fail', detail: `${file} must hold a JSON object`, hint };
  }
  // The daemon's own schema, so doctor passes exactly the files the daemon will start with.
  const parsed = ConfigFile.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`);
    return { name: 'config', status: 'fail', detail: `${file} is invalid: ${escapeText(problems.join('; '))}`, hint };
  }
  return { name: 'config', status: 'pass', detail: file };
}

async function checkDaemon(env: DoctorEnvironment): Promise<CheckResult | CheckResult[]> {
  const daemon = await env.probeDaemon();
  if (daemon.running) {
    const running: CheckResult = { name: 'daemon', status: 'pass', detail: `running (pid ${daemon.pid}, version ${escapeText(daemon.version)})` };
    return daemon.relay ? [running, checkRelay(daemon.relay)] : running;
  }
  if (daemon.error) return { name: 'daemon', status: 'fail', detail: escapeText(daemon.error), hint: 'see `vibe logs`; `vibe down && vibe up` restarts it' };
  return { name: 'daemon', status: 'warn', detail: 'not running', hint: 'run `vibe up` inside a git repository' };
}

/** The daemon's relay connection, as the daemon sees it, and where its secrets are. */
export function checkRelay(relay: RelayStatus): CheckResult {
  const secrets = `secrets in the ${relay.secretStore === 'keychain' ? 'OS keychain' : '0600 file'}`;
  if (!relay.enabled) return { name: 'relay', status: 'pass', detail: `off (${secrets})`, hint: '`vibe connect` sets one up for remote access' };
  const where = relay.embedded ? `embedded relay on ${relay.embedded.host}:${relay.embedded.port}` : escapeText(relay.url ?? '');
  if (relay.connected) return { name: 'relay', status: 'pass', detail: `connected to ${where} (${secrets})` };
  return {
    name: 'relay',
    status: 'fail',
    detail: `not connected to ${where}${relay.lastError ? `: ${escapeText(relay.lastError)}` : ''}`,
    hint: relay.embedded ? 'see `vibe logs` (the relay log is relay.log beside it); `vibe connect --port N` picks another port' : 'check the relay is up (its /healthz) and reachable from here',
  };
}
