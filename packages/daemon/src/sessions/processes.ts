// The external programs and ptys the hosts use, behind injectable seams so unit tests can assert argv.
import { execFile } from 'node:child_process';
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as NodePtyModule from 'node-pty';

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

export function execRunner(options: { timeoutMs?: number; env?: Record<string, string> } = {}): CommandRunner {
  const env = options.env ?? cleanEnv();
  return (file, args) =>
    new Promise((resolve) => {
      execFile(file, [...args], { env, timeout: options.timeoutMs ?? 10_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
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
}

export interface PtyOptions {
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  /** $TERM for the program. */
  term: string;
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
  return {
    pid: pty.pid,
    ptsName: (pty as unknown as { ptsName?: string }).ptsName,
    onData: (listener) => pty.onData(listener as unknown as (data: string) => void),
    onExit: (listener) => pty.onExit(listener),
    write: (data) => writeNow(pty, typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength)),
    pendingWrite: () => queuedBytes(pty),
    resize: (cols, rows) => pty.resize(cols, rows),
    kill: (signal) => pty.kill(signal),
  };
};

/**
 * node-pty internals read by `writeNow` and `queuedBytes`; absent in another version, which then gets plain
 * `write` and no count (the sessions tests would fail on that upgrade).
 */
interface PtyInternals {
  fd?: number;
  _writeStream?: { _writeQueue?: { buffer: Uint8Array; offset: number }[] };
}

/** What node-pty's write queue holds: what the kernel refused (the pty's buffer is full) and has not taken since. */
function queuedBytes(pty: NodePtyModule.IPty): number {
  const queue = (pty as unknown as PtyInternals)._writeStream?._writeQueue;
  if (!Array.isArray(queue)) return 0;
  let bytes = 0;
  for (const task of queue) bytes += task.buffer.byteLength - task.offset;
  return bytes;
}

/**
 * Writes keystrokes with one direct write(2) on the pty master instead of node-pty's queued write, which
 * goes through the libuv thread pool and adds a thread hop to every key (measured: echo p50 0.13 → 0.06 ms).
 * Only when node-pty's own queue is empty, so order is kept; whatever the kernel does not take at once
 * (a full pty buffer: EAGAIN, or a short write) goes to node-pty's queue.
 */
function writeNow(pty: NodePtyModule.IPty, data: Buffer): void {
  const internals = pty as unknown as PtyInternals;
  const queue = internals._writeStream?._writeQueue;
  if (typeof internals.fd === 'number' && Array.isArray(queue) && queue.length === 0) {
    let written = 0;
    try {
      written = writeSync(internals.fd, data);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // EIO/EBADF: the terminal is gone; its exit is reported separately.
      if (code !== 'EAGAIN') return;
    }
    if (written === data.length) return;
    data = data.subarray(written);
  }
  pty.write(data);
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
