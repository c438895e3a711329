// The sessions room: terminal hosts (tmux, node-pty), per-session scrollback and viewer streams, state heuristics.
export type { HostedTerminal, LaunchSpec, SessionHost, StateSignal } from './types.js';
export { createSessionHost, detectTmux, tmuxVersionOk, MIN_TMUX, type HostChoice } from './create-host.js';
export { TmuxHost, TmuxError, type TmuxHostOptions } from './tmux-host.js';
export { PtyHost, type PtyHostOptions } from './pty-host.js';
export { LaunchSpecError } from './tmux-commands.js';
export { SessionStreams, type SessionStreamsOptions } from './session-streams.js';
export {
  LiveSession,
  DEFAULT_WINDOW_BYTES,
  type AttachOptions,
  type AttachResult,
  type Detection,
  type LiveSessionOptions,
  type TerminalSink,
} from './live-session.js';
export { Scrollback, DEFAULT_SCROLLBACK_BYTES } from './scrollback.js';
export { StateDetector, stripAnsi, type StateDetectorOptions } from './state-detector.js';
export { execRunner, nodePtySpawner, processSignaller, type CommandRunner, type PtySpawner, type PtyProcess, type RunResult, type Signaller } from './processes.js';
