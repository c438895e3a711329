// The files that make the daemon a user service: a systemd unit (Linux) and a launchd agent (macOS).
// Both are written so that stopping or restarting the service ends the daemon process only, never the
// tmux server that holds the agents: the next daemon re-adopts them.
import { UsageError } from '../errors.js';

export interface DaemonCommand {
  /** The node binary (process.execPath of the installing vibe). */
  node: string;
  /**
   * The vibe launcher the service runs as `vibe daemon run`: npm's bin link or a checkout's bin/vibe, a path an
   * upgrade keeps, never the versioned folder behind it.
   */
  vibe: string;
  /** Whether `vibe` is a node script, run by `node` with the daemon's heap flag (else it is run as it is: a shim). */
  script: boolean;
  /** VIBE_HOME to pass on, absolute; null when unset. */
  vibeHome: string | null;
  /** The installing shell's PATH, so the service finds the same agent CLIs, tmux and git. */
  path: string | undefined;
}

export const SYSTEMD_UNIT_NAME = 'vibe.service';
export const LAUNCHD_LABEL = 'dev.vibe.daemon';

/**
 * The daemon in the foreground through the installed vibe, with the heap flag `vibe up` gives it (see
 * daemon-process.ts). Whatever version `npm i -g` put there last is what the service starts.
 */
function daemonArgv(command: DaemonCommand): string[] {
  const run = [command.vibe, 'daemon', 'run'];
  return command.script ? [command.node, '--max-semi-space-size=1', ...run] : run;
}

function refuseLineBreaks(command: DaemonCommand): void {
  for (const value of [command.node, command.vibe, command.vibeHome ?? '', command.path ?? '']) {
    if (/[\n\r\0]/.test(value)) throw new UsageError(`cannot write a service for a path with a line break or NUL in it: ${JSON.stringify(value)}`);
  }
}

/**
 * One word of a unit file: `%` is a specifier and `$` a variable to systemd, so both are doubled; a word
 * with anything but plain path characters is double-quoted, with `\` and `"` escaped.
 */
export function systemdWord(text: string, { dollar = true }: { dollar?: boolean } = {}): string {
  let escaped = text.replaceAll('%', '%%');
  if (dollar) escaped = escaped.replaceAll('$', '$$$$');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function systemdUnit(command: DaemonCommand): string {
  refuseLineBreaks(command);
  const environment = [
    ...(command.path ? [`PATH=${command.path}`] : []),
    ...(command.vibeHome !== null ? [`VIBE_HOME=${command.vibeHome}`] : []),
  ].map((assignment) => `Environment=${systemdWord(assignment, { dollar: false })}`);
  return [
    '# The vibe daemon as a systemd user service. Written by `vibe service install`; `vibe service uninstall` removes it.',
    '[Unit]',
    'Description=vibe daemon: AI coding agents in parallel, each in its own git worktree',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${daemonArgv(command).map((word) => systemdWord(word)).join(' ')}`,
    'WorkingDirectory=/',
    ...environment,
    '# The agents run in vibe\'s own tmux server, which the daemon starts, so it lives in this service\'s',
    '# control group. KillMode=process makes `systemctl --user stop|restart vibe` end the daemon process only:',
    '# the tmux server and every agent in it keep running, and the next daemon re-adopts them.',
    'KillMode=process',
    'Restart=on-failure',
    'RestartSec=2',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

function xml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export function launchdPlist(command: DaemonCommand): string {
  refuseLineBreaks(command);
  const environment: Array<[string, string]> = [
    ...(command.path ? [['PATH', command.path] as [string, string]] : []),
    ...(command.vibeHome !== null ? [['VIBE_HOME', command.vibeHome] as [string, string]] : []),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- The vibe daemon as a launchd user agent. Written by `vibe service install`; `vibe service uninstall` removes it.',
    '     AbandonProcessGroup: when the daemon stops, launchd would otherwise kill every process in its group, the',
    '     tmux server holding the agents included; with it they keep running and the next daemon re-adopts them. -->',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  <string>${LAUNCHD_LABEL}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...daemonArgv(command).map((word) => `    <string>${xml(word)}</string>`),
    '  </array>',
    '  <key>WorkingDirectory</key>',
    '  <string>/</string>',
    ...(environment.length > 0
      ? ['  <key>EnvironmentVariables</key>', '  <dict>', ...environment.flatMap(([key, value]) => [`    <key>${key}</key>`, `    <string>${xml(value)}</string>`]), '  </dict>']
      : []),
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>KeepAlive</key>',
    '  <dict>',
    '    <key>SuccessfulExit</key>',
    '    <false/>',
    '  </dict>',
    '  <key>AbandonProcessGroup</key>',
    '  <true/>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
