// The daemon's side of the pty thread (`../pty-worker.ts`): spawns ptys there and hands back objects that
// read and write like node-pty's own. Used for tmux's attach clients, whose reading must never wait for the
// daemon's event loop (see the worker for why).
//
// Output arrives as one message per delivery of the worker's paced reader (a read at once when output
// trickles, a batch a pace in a flood); each is counted taken as soon as its listeners have run, which is what
// lets the worker read on. Input is written from here, straight to the descriptor the thread lends, through a
// gate that keeps the thread from closing it mid-write (`input-gate.ts`): a key costs no wake-up of the thread.
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import { closeGate, createGate, gatedWrite, gateOpen } from './input-gate.js';
import type { AttachPty, CommandRunner, PtyOptions, RunResult } from './processes.js';
import { PtyWriter } from './pty-writer.js';

export type ThreadRequest =
  | { op: 'spawn'; id: number; file: string; args: string[]; options: PtyOptions; counters: SharedArrayBuffer; gate: SharedArrayBuffer }
  | { op: 'write'; id: number; bytes: Uint8Array | string }
  | { op: 'resize'; id: number; cols: number; rows: number }
  | { op: 'kill'; id: number; signal?: string }
  | { op: 'run'; run: number; file: string; args: string[] }
  | { op: 'close' };

export type ThreadReply =
  /** `fd`: the master's descriptor, lent for input; undefined where node-pty has none to lend. */
  | { op: 'spawned'; id: number; pid: number; ptsName: string | undefined; fd: number | undefined }
  | { op: 'failed'; id: number; message: string }
  | { op: 'data'; id: number; bytes: Uint8Array }
  | { op: 'exit'; id: number; exitCode: number; signal?: number }
  | ({ op: 'ran'; run: number } & RunResult);

type ExitEvent = { exitCode: number; signal?: number };

/** A pty on the thread. Its pid and tty path arrive a moment after the spawn (undefined until then). */
class RemotePty implements AttachPty {
  pid: number | undefined;
  ptsName: string | undefined;
  readonly counters = new Int32Array(new SharedArrayBuffer(8));
  readonly gate = createGate();
  /** Writes input once the thread has lent the descriptor; until then input waits in `early`. */
  private writer: PtyWriter | undefined;
  private early: Buffer[] | undefined = [];
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
    if (this.exited) return;
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (this.writer) this.writer.write(bytes);
    else if (this.early) this.early.push(Buffer.from(bytes));
    else this.send({ op: 'write', id: this.id, bytes });
  }

  pendingWrite(): number {
    if (this.writer) return this.writer.pending;
    if (this.early) return this.early.reduce((sum, bytes) => sum + bytes.length, 0);
    return Atomics.load(this.counters, 1);
  }

  /** The thread started the program: input goes to `fd` from now on, or (none lent) over to the thread. */
  spawned(fd: number | undefined): void {
    const early = this.early ?? [];
    this.early = undefined;
    if (fd !== undefined) this.writer = new PtyWriter(fd, () => gateOpen(this.gate), (to, bytes) => gatedWrite(this.gate, to, bytes));
    for (const bytes of early) this.write(bytes);
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
    this.writer?.close();
    this.early = undefined;
    for (const listener of [...this.exitListeners]) listener(event);
  }
}

/** How long a stopping daemon waits for its ptys to exit before terminating the thread. */
const CLOSE_TIMEOUT_MS = 3000;

export class PtyThread {
  private worker: Worker | undefined;
  private readonly ptys = new Map<number, RemotePty>();
  private nextId = 1;
  /** Programs running on the thread, by run number, until their results come back. */
  private readonly runs = new Map<number, (result: RunResult) => void>();
  private nextRun = 1;
  private disposed = false;

  /**
   * `script`: the built `pty-worker.js`. Tests lower `maxUntaken`, the worker's bound per pty, and turn
   * `lendInput` off to take the path of a node-pty with no descriptor to lend.
   */
  constructor(
    private readonly script: string,
    private readonly logger: Logger,
    private readonly workerOptions: { maxUntaken?: number; lendInput?: boolean } = {},
  ) {}

  /** A PtySpawner, but for the thread: the pty's pid and tty path come a moment later. */
  readonly spawn = (file: string, args: readonly string[], options: PtyOptions): AttachPty => {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const pty = new RemotePty(id, (request) => worker.postMessage(request));
    this.ptys.set(id, pty);
    const shared = { counters: pty.counters.buffer as SharedArrayBuffer, gate: pty.gate.buffer as SharedArrayBuffer };
    worker.postMessage({ op: 'spawn', id, file, args: [...args], options, ...shared } satisfies ThreadRequest);
    return pty;
  };

  /** Whether the thread is up (it starts with the first pty): `run` costs no thread of its own then. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /**
   * A CommandRunner whose programs are forked on the thread: a fork copies the daemon's page tables (3–7 ms at
   * its size on the 2-core VM), which on the event loop stalls every session's output and input meanwhile.
   * A thread that ends first answers with exit code -1.
   */
  readonly run: CommandRunner = (file, args) => {
    const worker = this.ensureWorker();
    const run = this.nextRun++;
    return new Promise((resolve) => {
      this.runs.set(run, resolve);
      worker.postMessage({ op: 'run', run, file, args: [...args] } satisfies ThreadRequest);
    });
  };

  /**
   * Ends the thread: it hangs up on its ptys and ends when each has exited. Only a thread that does not end
   * within CLOSE_TIMEOUT_MS is terminated (which node-pty may answer by aborting the process: see the worker).
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    const ptys = [...this.ptys.values()];
    this.ptys.clear();
    if (!worker) return;
    // Held until it has ended: a process that exits with the thread still running tears it down mid-exit.
    worker.ref();
    const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ op: 'close' } satisfies ThreadRequest);
    const timer = setTimeout(() => {
      // Torn down, the thread closes its descriptors with no word to us: no input may be written after this.
      for (const pty of ptys) closeGate(pty.gate);
      void worker.terminate();
    }, CLOSE_TIMEOUT_MS);
    await ended;
    clearTimeout(timer);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { name: 'vibe-pty', workerData: this.workerOptions });
    // The thread keeps no daemon alive on its own account: the daemon stops it when it stops.
    worker.unref();
    worker.on('message', (reply: ThreadReply) => this.receive(reply));
    worker.on('error', (error) => this.logger.error('pty thread failed', { error }));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      for (const resolve of this.runs.values()) resolve({ code: -1, stdout: '', stderr: `the pty thread ended (${code})` });
      this.runs.clear();
      if (this.disposed) return;
      if (this.ptys.size > 0) this.logger.warn('pty thread ended with ptys open', { code, ptys: this.ptys.size });
      for (const pty of [...this.ptys.values()]) pty.exit({ exitCode: -1 });
      this.ptys.clear();
    });
    this.worker = worker;
    return worker;
  }

  private receive(reply: ThreadReply): void {
    if (reply.op === 'ran') {
      this.runs.get(reply.run)?.({ code: reply.code, stdout: reply.stdout, stderr: reply.stderr });
      this.runs.delete(reply.run);
      return;
    }
    const pty = this.ptys.get(reply.id);
    if (!pty) return;
    switch (reply.op) {
      case 'spawned':
        pty.pid = reply.pid;
        pty.ptsName = reply.ptsName;
        return pty.spawned(reply.fd);
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
