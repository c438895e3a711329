// The pty thread: a worker that owns the daemon's `tmux attach` ptys and reads them on its own event loop (and
// forks the daemon's tmux commands, so a fork does not stall the daemon's loop; see `run` in pty-thread.ts).
//
// tmux gives a client that falls ~50 KB behind (its buffer plus the kernel's) only redraws of the screen
// until a whole 100 ms passes with almost nothing to send, which a flood never gives: one stall of the
// daemon's event loop (a GC, a fork, a fan-out to a hundred viewers) would turn the session's stream into ten
// screens a second for as long as the flood lasts. Here nothing else runs, so tmux is read as fast as it
// writes; what the daemon has not taken yet waits in this thread, up to MAX_UNTAKEN bytes a pty (then reading
// pauses and tmux falls back to redraws, bounded). See `sessions/pty-thread.ts` for the daemon's side.
import { parentPort, workerData } from 'node:worker_threads';
import { closeGate } from './sessions/input-gate.js';
import { execRunner, nodePtySpawner, processAlive, type PtyProcess } from './sessions/processes.js';
import type { ThreadReply, ThreadRequest } from './sessions/pty-thread.js';

/** Bytes handed to the daemon and not yet taken, per pty, before this thread stops reading it. */
const settings = (workerData ?? {}) as { maxUntaken?: number; lendInput?: boolean };
const MAX_UNTAKEN = settings.maxUntaken ?? 8 * 1024 * 1024;
/** How often a paused pty looks again whether the daemon caught up. */
const RESUME_CHECK_MS = 5;
/** How often the count of input the pty has not taken is refreshed while it is not zero. */
const PENDING_REFRESH_MS = 20;

interface Held {
  pty: PtyProcess;
  /** Shut before the pty's descriptor closes, when the daemon writes its input (see input-gate.ts). */
  gate: Int32Array;
  /** [0] bytes the daemon took (it adds), [1] bytes written to the pty and not yet taken by it (we set). */
  counters: Int32Array;
  posted: number;
  paused: NodeJS.Timeout | undefined;
  /** Refreshes counters[1] while the pty holds input back (the writer retries on its own, with no event). */
  pending: NodeJS.Timeout | undefined;
}

if (!parentPort) throw new Error('pty-worker runs as a worker thread');
const port = parentPort;
const ptys = new Map<number, Held>();
const reply = (message: ThreadReply, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer ?? []);

let closing = false;

/**
 * Programs the daemon runs (its tmux commands): forked here, so the fork stalls this thread, not the daemon's
 * loop. Stopping kills those still running, so the thread's loop empties and it ends on its own.
 */
const stopping = new AbortController();
const runProgram = execRunner({ signal: stopping.signal });

port.on('message', (request: ThreadRequest) => {
  if (request.op === 'spawn') return spawn(request, new Int32Array(request.counters), new Int32Array(request.gate));
  if (request.op === 'close') return close();
  if (request.op === 'run') return void runProgram(request.file, request.args).then((result) => reply({ op: 'ran', run: request.run, ...result }));
  const held = ptys.get(request.id);
  if (!held) return;
  switch (request.op) {
    case 'write': // only for a pty that lent no descriptor
      held.pty.write(request.bytes);
      return publishPending(held);
    case 'resize':
      return held.pty.resize(request.cols, request.rows);
    case 'kill':
      return held.pty.kill(request.signal);
  }
});

// A thread that ends on an error closes its descriptors as it is torn down, with no _destroy: shut every gate
// first. (The daemon shuts them itself before it terminates the thread.)
process.on('exit', () => {
  for (const held of ptys.values()) closeGate(held.gate);
});

function spawn({ id, file, args, options }: ThreadRequest & { op: 'spawn' }, counters: Int32Array, gate: Int32Array): void {
  let pty: PtyProcess;
  try {
    pty = nodePtySpawner(file, args, options);
  } catch (error) {
    closeGate(gate);
    return reply({ op: 'failed', id, message: (error as Error).message });
  }
  const held: Held = { pty, gate, counters, posted: 0, paused: undefined, pending: undefined };
  ptys.set(id, held);
  const fd = settings.lendInput === false ? undefined : pty.lendInput?.(gate);
  if (fd === undefined) closeGate(gate);
  reply({ op: 'spawned', id, pid: pty.pid, ptsName: pty.ptsName, fd });
  pty.onData((bytes) => {
    // Handed over, not copied, when the bytes fill their buffer (a read's own); a slice of a shared pool (a
    // small joined batch) is copied first, since handing it over would take the pool from everything else on it.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    const owned = whole ? bytes : new Uint8Array(bytes);
    held.posted = (held.posted + owned.length) | 0;
    reply({ op: 'data', id, bytes: owned }, [owned.buffer as ArrayBuffer]);
    if (untaken(held) > MAX_UNTAKEN) pause(held);
  });
  pty.onExit(({ exitCode, signal }) => {
    closeGate(gate); // shut already, unless the descriptor outlived the program
    clearInterval(held.paused);
    clearInterval(held.pending);
    ptys.delete(id);
    reply({ op: 'exit', id, exitCode, signal });
    if (closing && ptys.size === 0) port.close();
  });
}

/**
 * The daemon is stopping: hang up on every pty and end once each has exited. Terminating the thread instead
 * would race node-pty's exit callbacks, which abort the whole process when one lands in a thread being torn down.
 */
function close(): void {
  closing = true;
  stopping.abort();
  for (const held of ptys.values()) held.pty.kill('SIGHUP');
  if (ptys.size === 0) port.close();
}

function publishPending(held: Held): void {
  const pending = held.pty.pendingWrite();
  Atomics.store(held.counters, 1, pending);
  if (pending === 0 || held.pending) return;
  held.pending = setInterval(() => {
    const now = held.pty.pendingWrite();
    Atomics.store(held.counters, 1, now);
    if (now > 0) return;
    clearInterval(held.pending);
    held.pending = undefined;
  }, PENDING_REFRESH_MS);
}

function untaken(held: Held): number {
  return (held.posted - Atomics.load(held.counters, 0)) >>> 0;
}

function pause(held: Held): void {
  if (held.paused || !held.pty.pauseReading) return;
  held.pty.pauseReading();
  held.paused = setInterval(() => {
    // A program that ended leaves at most a kernel buffer's worth unread: read it now, or node-pty gives up
    // on the stream 200 ms after the exit and its last words are lost.
    if (untaken(held) > MAX_UNTAKEN / 2 && processAlive(held.pty.pid)) return;
    clearInterval(held.paused);
    held.paused = undefined;
    held.pty.resumeReading?.();
  }, RESUME_CHECK_MS);
}
