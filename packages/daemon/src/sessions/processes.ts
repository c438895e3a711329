// The external programs and ptys the hosts use, behind injectable seams so unit tests can assert argv.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import type * as NodePtyModule from 'node-pty';
import { closeGate } from './input-gate.js';
import { PacedReader, type PausableSource } from './paced-reader.js';
import { PtyWriter } from './pty-writer.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with an argv array (never a shell) and resolves with its exit code, even a failing one. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<RunResult>;

/** Environment variables that would make tmux think it runs nested inside the user's own server. */
const NESTING_VARIABLES = ['TMUX', 'TMUX_PANE'];

/** The daemon's environment minus what must not leak into tmux clients and session processes. */
export function cleanEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !NESTING_VARIABLES.includes(key)) env[key] = value;
  }
  return env;
}

/** `signal` kills whatever is still running when it aborts (the result is then a failure, code -1). */
export function execRunner(options: { timeoutMs?: number; env?: Record<string, string>; signal?: AbortSignal } = {}): CommandRunner {
  const env = options.env ?? cleanEnv();
  return (file, args) =>
    new Promise((resolve) => {
      execFile(file, [...args], { env, timeout: options.timeoutMs ?? 10_000, maxBuffer: 32 * 1024 * 1024, signal: options.signal }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr: stderr || (error && typeof error.code !== 'number' ? error.message : '') });
      });
    });
}

/** The part of a node-pty terminal the hosts use. */
export interface PtyProcess {
  readonly pid: number;
  /** The slave side's path (e.g. /dev/pts/3); tmux names its client by it. */
  readonly ptsName: string | undefined;
  onData(listener: (data: Uint8Array) => void): { dispose(): void };
  onExit(listener: (event: { exitCode: number; signal?: number }) => void): { dispose(): void };
  write(data: Uint8Array | string): void;
  /** Bytes given to `write` that the pty has not taken yet: the program is not reading its input. */
  pendingWrite(): number;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
  /** Stops and restarts reading the pty (the kernel then holds, and the writer blocks); where supported. */
  pauseReading?(): void;
  resumeReading?(): void;
  /**
   * Hands the writing of input to another thread of this process (see `input-gate.ts`): returns the master's
   * descriptor, writes nothing itself from then on, and shuts `gate` before the descriptor closes. Undefined
   * where node-pty does not expose the descriptor; input then goes through `write` as before.
   */
  lendInput?(gate: Int32Array): number | undefined;
}

/** A pty whose pid may not be known yet (one on the pty thread): what tmux's attach client needs. */
export type AttachPty = Omit<PtyProcess, 'pid'> & { readonly pid: number | undefined };

export interface PtyOptions {
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  /** $TERM for the program. */
  term: string;
  /**
   * Keep reading a flood that fills the kernel's buffer, holding it for one delivery a pace (see PacedReader).
   * For an agent's own pty: pausing would throttle the program. Not for tmux's attach client, which writes in
   * bursts that pausing gathers into fewer, larger reads (and tmux then keeps up best).
   */
  holdFullReads?: boolean;
}

/** Starts `file` with `args` (execvp, no shell) on a new pty. */
export type PtySpawner = (file: string, args: readonly string[], options: PtyOptions) => PtyProcess;

type NodePty = typeof NodePtyModule;
let nodePty: NodePty | undefined;

/** node-pty, loaded on first use so a daemon that never starts a session never maps the native module. */
export const nodePtySpawner: PtySpawner = (file, args, options) => {
  nodePty ??= createRequire(import.meta.url)('node-pty') as NodePty;
  const pty = nodePty.spawn(file, [...args], {
    name: options.term,
    cols: options.cols,
    rows: options.rows,
    cwd: options.cwd,
    env: options.env,
    // Raw bytes in and out: a UTF-8 decoder would mangle sequences split across reads.
    encoding: null,
  });
  // The master's descriptor and the stream that closes it are node-pty's (not in its typings); another
  // version without them gets node-pty's own queued write and no count, which the sessions tests would catch.
  const { fd, _socket: socket } = pty as unknown as { fd?: unknown; _socket?: PtySocket };
  const writer = typeof fd === 'number' && socket !== undefined ? new PtyWriter(fd, () => socket.destroyed !== true) : undefined;
  const listeners = new Set<(data: Uint8Array) => void>();
  // Two holds on one read: the pacing's, and the owner's (the pty thread's bound on what it has not handed on).
  const read = pausable(pty, socket);
  const holds = { pace: false, owner: false };
  const hold = (which: keyof typeof holds, on: boolean): void => {
    holds[which] = on;
    if (holds.pace || holds.owner) read.pause();
    else read.resume();
  };
  const reader = new PacedReader(
    { pause: () => hold('pace', true), resume: () => hold('pace', false) },
    (bytes) => {
      for (const listener of listeners) listener(bytes);
    },
    { holdFullReads: options.holdFullReads ?? false },
  );
  pty.onData((data) => reader.push(data as unknown as Uint8Array));
  pty.onExit(() => {
    writer?.close();
    reader.dispose();
  });
  return {
    pid: pty.pid,
    ptsName: (pty as unknown as { ptsName?: string }).ptsName,
    onData: (listener) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    onExit: (listener) => pty.onExit(listener),
    write: (data) => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (writer) writer.write(bytes);
      else pty.write(bytes);
    },
    pendingWrite: () => writer?.pending ?? 0,
    resize: (cols, rows) => pty.resize(cols, rows),
    kill: (signal) => pty.kill(signal),
    pauseReading: () => hold('owner', true),
    resumeReading: () => hold('owner', false),
    lendInput: (gate) => {
      if (!writer || !socket?._destroy) return undefined;
      writer.close();
      if (socket.destroyed) closeGate(gate);
      // Every way the stream closes its descriptor goes through _destroy; the gate shuts first.
      const destroy = socket._destroy;
      socket._destroy = function (this: PtySocket, error, callback) {
        closeGate(gate);
        destroy.call(this, error, callback);
      };
      return fd as number;
    },
  };
};

/** node-pty's stream over the master, with the libuv handle it reads through (not in its typings). */
interface PtySocket {
  destroyed?: boolean;
  _destroy?: (this: PtySocket, error: Error | null, callback: (error?: Error | null) => void) => void;
  _handle?: { reading?: boolean; readStart(): number; readStop(): number } | null;
}

/**
 * Pausing must stop the read itself, as Node does for its own paused sockets: a paused stream that keeps
 * reading into its buffer would still wake the daemon for every write the program makes.
 */
function pausable(pty: NodePtyModule.IPty, socket: PtySocket | undefined): PausableSource {
  return {
    pause() {
      const handle = socket?._handle;
      if (!handle) return pty.pause();
      if (!handle.reading) return;
      handle.reading = false;
      handle.readStop();
    },
    resume() {
      const handle = socket?._handle;
      if (!handle) return pty.resume();
      if (handle.reading || socket?.destroyed) return;
      handle.reading = true;
      handle.readStart();
    },
  };
}

/** Sends a signal to a process or (negative pid) a process group; a process already gone is not an error. */
export type Signaller = (pid: number, signal: NodeJS.Signals) => void;

export const processSignaller: Signaller = (pid, signal) => {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

/** Whether a process exists (one of another user's counts too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
