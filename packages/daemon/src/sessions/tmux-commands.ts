// tmux command lines as argv arrays, built so that no user data is ever parsed by a shell or by tmux.
//
// Three things in tmux 3.x would otherwise reinterpret user data, each checked against tmux 3.3a:
// - a command argument ending in `;` ends the command, and the next argument is run as a tmux command;
//   a `\` before that `;` keeps it literal (`tmuxArg`);
// - `new-session -c DIR` expands DIR as a format, so `#(cmd)` in a path would run cmd; `##` is a literal
//   `#` (`formatLiteral`);
// - `new-session … -- COMMAND` with a single argument runs it with `sh -c`; with two or more it execs them.
//   Sessions therefore always run `/bin/sh -c 'exec "$@"' vibe-session ARGV…`: a constant script, with the
//   user's argv as positional parameters that the shell passes on without reading.
// `-e NAME=VALUE` values and the arguments after `--` are not format-expanded.
import type { LaunchSpec } from './types.js';

export const SESSION_NAME = /^[A-Za-z0-9_-]{1,100}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The constant script every session runs; the program and its arguments follow as "$@". */
export const EXEC_WRAPPER = ['/bin/sh', '-c', 'exec "$@"', 'vibe-session'] as const;

export class LaunchSpecError extends Error {
  override readonly name = 'LaunchSpecError';
  readonly code = 'VIBE_BAD_LAUNCH_SPEC';
}

/** Refuses a spec that cannot be passed through argv exactly, before anything is started. */
export function validateLaunchSpec(spec: LaunchSpec): void {
  const fail = (message: string): never => {
    throw new LaunchSpecError(message);
  };
  if (!SESSION_NAME.test(spec.name)) fail(`session name ${JSON.stringify(spec.name)} must be letters, digits, _ or -`);
  if (!spec.cwd.startsWith('/')) fail(`session directory ${JSON.stringify(spec.cwd)} is not absolute`);
  if (spec.argv.length === 0 || !spec.argv[0]) fail('the session has no program to run');
  if (spec.argv[0]!.startsWith('-')) fail(`program name ${JSON.stringify(spec.argv[0])} must not start with "-"`);
  for (const [key, value] of Object.entries(spec.env)) {
    if (!ENV_NAME.test(key)) fail(`environment variable name ${JSON.stringify(key)} is not valid`);
    if (value.includes('\0')) fail(`environment variable ${key} contains a NUL byte`);
  }
  if ([spec.cwd, ...spec.argv].some((arg) => arg.includes('\0'))) fail('an argument contains a NUL byte');
  for (const [what, value, max] of [['cols', spec.cols, 1000], ['rows', spec.rows, 500]] as const) {
    if (!Number.isInteger(value) || value < 2 || value > max) fail(`${what} ${value} is out of range 2–${max}`);
  }
}

/** Keeps an argument literal for tmux's command parser: a trailing `;` would end the command. */
export function tmuxArg(value: string): string {
  return value.endsWith(';') ? `${value.slice(0, -1)}\\;` : value;
}

/** Keeps text literal where tmux expands formats (`#{…}`, `#(…)`). */
export function formatLiteral(value: string): string {
  return value.replaceAll('#', '##');
}

/** Exact-match targets: a bare `vibe_1` would also match `vibe_10` by prefix once `vibe_1` is gone. */
export const sessionTarget = (name: string): string => `=${name}`;
export const paneTarget = (name: string): string => `=${name}:`;

/** Global argv for every tmux invocation: the private socket, and no user or system config file. */
export function tmuxBase(socketPath: string): string[] {
  return ['-S', socketPath, '-f', '/dev/null'];
}

/** One tmux invocation running several commands in order (`a ; b ; c`), each argument kept literal. */
export function tmuxCommands(socketPath: string, commands: readonly (readonly string[])[]): string[] {
  const argv = tmuxBase(socketPath);
  commands.forEach((command, i) => {
    if (i > 0) argv.push(';');
    argv.push(...command.map(tmuxArg));
  });
  return argv;
}

export interface ServerSettings {
  historyLimit: number;
  /** $TERM inside sessions. */
  defaultTerminal: string;
}

/**
 * Options for vibe's private server. Set before `new-session` in the same invocation, because
 * history-limit only applies to panes created after it; re-applying them is harmless.
 */
export function serverOptionCommands(settings: ServerSettings): string[][] {
  return [
    ['set-option', '-s', 'escape-time', '0'],
    // The attach client is an xterm-like terminal (xterm.js, the user's terminal): pass 24-bit colour on.
    // A fixed index keeps the defaults and makes re-applying idempotent.
    ['set-option', '-s', 'terminal-features[10]', 'xterm*:RGB'],
    ['set-option', '-g', 'history-limit', String(settings.historyLimit)],
    ['set-option', '-g', 'default-terminal', settings.defaultTerminal],
    ['set-option', '-g', 'status', 'off'],
    // No prefix key: every key a viewer types reaches the agent (bindings go too, in `unbindCommands`).
    ['set-option', '-g', 'prefix', 'None'],
    ['set-option', '-g', 'prefix2', 'None'],
    // A dead pane stays so its exit status can be read (#{pane_dead_status}).
    ['set-option', '-g', 'remain-on-exit', 'on'],
    // The daemon's attach client is the only client; its size is the session's size.
    ['set-option', '-g', 'window-size', 'latest'],
    ['set-option', '-g', 'aggressive-resize', 'on'],
  ];
}

/**
 * Removes every key binding. Run after `new-session`: once a table is empty tmux deletes it, and in tmux 3.3
 * `unbind-key -q -a` of a missing table quietly ends the command list, so nothing after it would run.
 */
export function unbindCommands(): string[][] {
  return [
    ['unbind-key', '-q', '-a', '-T', 'prefix'],
    ['unbind-key', '-q', '-a', '-T', 'root'],
  ];
}

export function newSessionCommand(spec: LaunchSpec): string[] {
  return [
    'new-session',
    '-d',
    '-s',
    spec.name,
    '-x',
    String(spec.cols),
    '-y',
    String(spec.rows),
    '-c',
    formatLiteral(spec.cwd),
    ...Object.entries(spec.env).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
    '-P',
    '-F',
    '#{pane_pid}',
    '--',
    ...EXEC_WRAPPER,
    ...spec.argv,
  ];
}

/** argv for the daemon's own client of a session: its pty output is the session's byte stream. */
export function attachArgs(socketPath: string, name: string): string[] {
  // -u: UTF-8 output whatever the daemon's locale says.
  return [...tmuxBase(socketPath), '-u', 'attach-session', '-t', sessionTarget(name)];
}

export const PANE_LIST_FORMAT = '#{session_name} #{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pane_pid}';

export interface PaneStatus {
  dead: boolean;
  /** Exit status of a dead pane; null when it died of a signal or tmux has not reaped it yet. */
  status: number | null;
  /** The signal that killed it, if one did. */
  signal: number | null;
  pid: number | undefined;
}

const int = (field: string | undefined): number | null => (field && /^\d+$/.test(field) ? Number(field) : null);

/** Parses `list-panes -a -F PANE_LIST_FORMAT`; the first pane of each session wins. */
export function parsePaneList(stdout: string): Map<string, PaneStatus> {
  const panes = new Map<string, PaneStatus>();
  for (const line of stdout.split('\n')) {
    const [name, dead, status, signal, pid] = line.split(' ');
    if (!name || panes.has(name)) continue;
    panes.set(name, { dead: dead === '1', status: int(status), signal: int(signal), pid: int(pid) ?? undefined });
  }
  return panes;
}

/** True when tmux's answer means there is no server at all (so no sessions). */
export function isNoServer(stderr: string): boolean {
  return /no server running|error connecting|server exited/i.test(stderr);
}

export const CURSOR_FORMAT = '#{cursor_x} #{cursor_y} #{cursor_flag}';

/**
 * Builds repaint bytes from `capture-pane -p -e -J ; display -p CURSOR_FORMAT` output: the outer
 * alternate screen tmux itself uses, scroll region and attributes reset, screen cleared, the captured
 * lines, then the cursor placed and shown or hidden as in the pane.
 */
export function buildTmuxSnapshot(stdout: string): string {
  const lines = stdout.replace(/\n$/, '').split('\n');
  const cursor = /^(\d+) (\d+) ([01])$/.exec(lines.pop() ?? '');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const [x, y, visible] = cursor ? [Number(cursor[1]), Number(cursor[2]), cursor[3] === '1'] : [0, lines.length, true];
  return `\x1b[?1049h\x1b[r\x1b[0m\x1b[H\x1b[2J${lines.join('\r\n')}\x1b[0m\x1b[${y + 1};${x + 1}H\x1b[?25${visible ? 'h' : 'l'}`;
}
