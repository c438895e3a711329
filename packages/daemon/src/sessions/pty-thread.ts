// The daemon's side of the pty thread (`../pty-worker.ts`): spawns ptys there and hands back objects that
// read and write like node-pty's own. Used for tmux's attach clients, whose reading must never wait for the
// daemon's event loop (see the worker for why).
//
// Output arrives as one message per delivery of the worker's paced reader (a read at once when output
// trickles, a batch a pace in a flood); each is counted taken as soon as its listeners have run, which is what
// lets the worker read on. Input goes over as a message and is written there; the bytes the pty has not taken
// yet are a counter the worker keeps in shared memory, so `pendingWrite` needs no round trip.
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import type { AttachPty, PtyOptions } from './processes.js';

export type ThreadRequest =
  | { op: 'spawn'; id: number; file: string; args: string[]; options: PtyOptions; counters: SharedArrayBuffer }
  | { op: 'write'; id: number; bytes: Uint8Array | string }
  | { op: 'resize'; id: number; cols: number; rows: number }
  | { op: 'kill'; id: number; signal?: string }
  | { op: 'close' };

export type ThreadReply =
  | { op: 'spawned'; id: number; pid: number; ptsName: string | undefined }
  | { op: 'failed'; id: number; message: string }
  | { op: 'data'; id: number; bytes: Uint8Array }
  | { op: 'exit'; id: number; exitCode: number; signal?: number };

type ExitEvent = { exitCode: number; signal?: number };

/** A pty on the thread. Its pid and tty path arrive a moment after the spawn (undefined until then). */
class RemotePty implements AttachPty {
  pid: number | undefined;
  ptsName: string | undefined;
  readonly counters = new Int32Array(new SharedArrayBuffer(8));
  private readonly dataListeners = new Set<(data: Uint8Array) => void>();
  private readonly exitListeners = new Set<(event: ExitEvent) => void>();
  private exited = false;

  constructor(
    private readonly id: number,
    private readonly send: (request: ThreadRequest) => void,
  ) {}

  onData(listener: (data: Uint8Array) => void): { dispose(): void } {
    this.dataListeners.add(listener);
    return { dispose: () => this.dataListeners.delete(listener) };
  }

  onExit(listener: (event: ExitEvent) => void): { dispose(): void } {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  write(data: Uint8Array | string): void {
    if (!this.exited) this.send({ op: 'write', id: this.id, bytes: data });
  }

  pendingWrite(): number {
    return Atomics.load(this.counters, 1);
  }

  resize(cols: number, rows: number): void {
    if (!this.exited) this.send({ op: 'resize', id: this.id, cols, rows });
  }

  kill(signal?: string): void {
    if (!this.exited) this.send({ op: 'kill', id: this.id, signal });
  }

  data(bytes: Uint8Array): void {
    // Counted first: a listener that throws must not leave the thread waiting for bytes it will never see taken.
    Atomics.add(this.counters, 0, bytes.length);
    for (const listener of this.dataListeners) listener(bytes);
  }

  exit(event: ExitEvent): void {
    if (this.exited) return;
    this.exited = true;
    for (const listener of [...this.exitListeners]) listener(event);
  }
}

/** How long a stopping daemon waits for its ptys to exit before terminating the thread. */
const CLOSE_TIMEOUT_MS = 3000;

export class PtyThread {
  private worker: Worker | undefined;
  private readonly ptys = new Map<number, RemotePty>();
  private nextId = 1;
  private disposed = false;

  /** `script`: the built `pty-worker.js`; `maxUntaken`: the worker's bound per pty (tests lower it). */
  constructor(
    private readonly script: string,
    private readonly logger: Logger,
    private readonly maxUntaken?: number,
  ) {}

  /** A PtySpawner, but for the thread: the pty's pid and tty path come a moment later. */
  readonly spawn = (file: string, args: readonly string[], options: PtyOptions): AttachPty => {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const pty = new RemotePty(id, (request) => worker.postMessage(request));
    this.ptys.set(id, pty);
    worker.postMessage({ op: 'spawn', id, file, args: [...args], options, counters: pty.counters.buffer as SharedArrayBuffer } satisfies ThreadRequest);
    return pty;
  };

  /**
   * Ends the thread: it hangs up on its ptys and ends when each has exited. Only a thread that does not end
   * within CLOSE_TIMEOUT_MS is terminated (which node-pty may answer by aborting the process: see the worker).
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.ptys.clear();
    if (!worker) return;
    // Held until it has ended: a process that exits with the thread still running tears it down mid-exit.
    worker.ref();
    const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ op: 'close' } satisfies ThreadRequest);
    const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
    await ended;
    clearTimeout(timer);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { name: 'vibe-pty', workerData: { maxUntaken: this.maxUntaken } });
    // The thread keeps no daemon alive on its own account: the daemon stops it when it stops.
    worker.unref();
    worker.on('message', (reply: ThreadReply) => this.receive(reply));
    worker.on('error', (error) => this.logger.error('pty thread failed', { error }));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (this.disposed) return;
      if (this.ptys.size > 0) this.logger.warn('pty thread ended with ptys open', { code, ptys: this.ptys.size });
      for (const pty of [...this.ptys.values()]) pty.exit({ exitCode: -1 });
      this.ptys.clear();
    });
    this.worker = worker;
    return worker;
  }

  private receive(reply: ThreadReply): void {
    const pty = this.ptys.get(reply.id);
    if (!pty) return;
    switch (reply.op) {
      case 'spawned':
        pty.pid = reply.pid;
        pty.ptsName = reply.ptsName;
        return;
      case 'data':
        return pty.data(reply.bytes);
      case 'failed':
        this.logger.warn('pty spawn failed on the pty thread', { error: reply.message });
        this.ptys.delete(reply.id);
        return pty.exit({ exitCode: -1 });
      case 'exit':
        this.ptys.delete(reply.id);
        return pty.exit({ exitCode: reply.exitCode, signal: reply.signal });
    }
  }
}
