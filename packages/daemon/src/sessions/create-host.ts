// Picks the session host: tmux (sessions survive daemon restarts) when a recent enough tmux is on PATH, else node-pty.
import type { Logger } from '../logger.js';
import { execRunner, type CommandRunner } from './processes.js';
import { PtyHost } from './pty-host.js';
import { TmuxHost, type TmuxHostOptions } from './tmux-host.js';
import type { SessionHost } from './types.js';

/** `new-session -e` needs 3.2. */
export const MIN_TMUX = [3, 2] as const;

export interface HostChoice {
  host: SessionHost;
  /** tmux's version string when tmux hosts the sessions. */
  tmuxVersion?: string;
  /** Why node-pty hosts them, for `vibe doctor` and the log. */
  reason?: string;
}

/** `tmux -V` → "3.3a", or undefined when tmux is missing or unreadable. */
export async function detectTmux(run: CommandRunner = execRunner(), program = 'tmux'): Promise<string | undefined> {
  const result = await run(program, ['-V']);
  if (result.code !== 0) return undefined;
  return /^tmux (?:next-)?(\S+)/.exec(result.stdout.trim())?.[1];
}

export function tmuxVersionOk(version: string): boolean {
  const [major = 0, minor = 0] = (/^(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  return major > MIN_TMUX[0] || (major === MIN_TMUX[0] && minor >= MIN_TMUX[1]);
}

export async function createSessionHost(options: TmuxHostOptions & { logger?: Logger; preferPty?: boolean }): Promise<HostChoice> {
  const run = options.run ?? execRunner();
  const ptyHost = (reason: string): HostChoice => ({ host: new PtyHost({ spawnPty: options.spawnPty, signal: options.signal, logger: options.logger }), reason });
  if (options.preferPty) return ptyHost('node-pty was asked for');
  const version = await detectTmux(run, options.tmux);
  if (!version) return ptyHost('tmux is not on PATH: sessions run inside the daemon and end when it stops');
  if (!tmuxVersionOk(version)) return ptyHost(`tmux ${version} is older than ${MIN_TMUX.join('.')}: sessions run inside the daemon and end when it stops`);
  return { host: new TmuxHost({ ...options, run }), tmuxVersion: version };
}
