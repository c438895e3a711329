// Fixtures for the relay fault tests: `vibe --link … attach` in a real pty with every byte it draws kept, the
// daemon's own stream of a session read over the local socket, relay and redis-server processes, and a TCP
// load balancer standing in for the one hostname several relays are deployed behind. Every wait is bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { FrameKind, type ControlClient } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { spawn as spawnPty, type IPty } from 'node-pty';
import { ENTER_SEQUENCE, RESTORE_SEQUENCE } from '../src/attach/terminal-mode.js';
import { vibeBin, waitFor } from './harness.js';

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/**
 * A fake-agent script that asks `go? `, then prints the numbers 1..count (five digits, one a line) in steps
 * of `perStep` lines `pauseMs` apart, then asks `done? ` and waits.
 */
export function countingScript(count: number, perStep: number, pauseMs: number): string {
  const steps = ['ask:go? '];
  for (let first = 1; first <= count; first += perStep) {
    const lines = [];
    for (let n = first; n < first + perStep && n <= count; n++) lines.push(String(n).padStart(5, '0'));
    steps.push(`print:${lines.join('\\n')}`, `sleep:${pauseMs}`);
  }
  return [...steps, 'ask:done? ', 'sleep:600000'].join(';');
}

/** The numbered lines (five digits alone on a line) in `text`, in order. */
export function numberedLines(text: string): number[] {
  return [...text.matchAll(/^(\d{5})\r?$/gm)].map((match) => Number(match[1]));
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Where two byte strings first differ, with some context, for a readable failure. */
export function firstDifference(a: Uint8Array, b: Uint8Array): string | undefined {
  const length = Math.min(a.length, b.length);
  let at = 0;
  while (at < length && a[at] === b[at]) at++;
  if (at === a.length && at === b.length) return undefined;
  const around = (bytes: Uint8Array): string => JSON.stringify(latin1(bytes.subarray(Math.max(0, at - 40), at + 40)));
  return `lengths ${a.length} and ${b.length}, first difference at byte ${at}: ${around(a)} vs ${around(b)}`;
}

/** `vibe ARGS` in a real 100x30 pty; `bytes` is everything it wrote to the terminal. */
export class PtyVibe {
  private readonly pty: IPty;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  readonly exited: Promise<number>;

  constructor(args: string[], env: Record<string, string>, cwd: string) {
    this.pty = spawnPty(vibeBin, args, { name: 'xterm-256color', cols: 100, rows: 30, cwd, env, encoding: null } as never);
    this.pty.onData((data: string | Buffer) => {
      const chunk = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      this.chunks.push(chunk);
      this.size += chunk.length;
    });
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode }) => resolve(exitCode)));
  }

  get bytes(): Buffer {
    if (this.chunks.length > 1) this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks, this.size));
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  text(): string {
    return this.bytes.toString('latin1');
  }

  async waitFor(test: (text: string) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    await waitFor(() => test(this.text()), timeoutMs, `${what}; the client wrote: ${JSON.stringify(this.text().slice(-300))}`);
  }

  type(keys: string): void {
    this.pty.write(keys);
  }

  kill(): void {
    try {
      this.pty.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /**
   * The session's bytes as the attach received them: between taking over the screen and giving it back,
   * with the pty's output processing undone (ONLCR, which libuv's raw mode leaves on, writes each \n as \r\n).
   * Undefined when the terminal was given back in between (a reconnect that repainted instead of resuming).
   */
  sessionBytes(): Buffer | undefined {
    const text = this.text();
    const start = text.indexOf(ENTER_SEQUENCE);
    const end = text.lastIndexOf(RESTORE_SEQUENCE);
    if (start < 0 || end < start) throw new Error(`the attach never took over the screen: ${JSON.stringify(text.slice(0, 300))}`);
    const inner = text.slice(start + ENTER_SEQUENCE.length, end);
    if (inner.includes(ENTER_SEQUENCE)) return undefined;
    return Buffer.from(inner.replaceAll('\r\n', '\n'), 'latin1');
  }
}

/**
 * A session's stream as the daemon numbered it, read over the local socket: an attach learns the stream id,
 * a second connection resumes it from offset 0 and every Output frame must start where the last one ended.
 */
export class StreamRecorder {
  private readonly chunks: Buffer[] = [];
  length = 0;
  private gap: string | undefined;

  private constructor(private readonly client: ControlClient) {}

  static async start(env: Record<string, string>, session: number): Promise<StreamRecorder> {
    const socket = resolvePaths(env).socket;
    const clientInfo = { client: { name: 'stream-recorder', version: '0' } };
    const probe = await connectToDaemon(socket, clientInfo);
    const { stream } = await probe.client.request('session.attach', { session, readOnly: true });
    probe.client.close();
    const { client } = await connectToDaemon(socket, clientInfo);
    const recorder = new StreamRecorder(client);
    client.onFrame((frame) => {
      if (frame.session !== session) return;
      if (frame.kind !== FrameKind.Output) {
        recorder.gap ??= `a frame of kind ${frame.kind} at ${frame.seq} (a Snapshot: the scrollback no longer held offset 0)`;
        return;
      }
      if (frame.seq !== recorder.length) recorder.gap ??= `an Output frame at ${frame.seq} after ${recorder.length} bytes`;
      recorder.chunks.push(Buffer.from(frame.payload));
      recorder.length += frame.payload.length;
      client.sendFrame({ kind: FrameKind.Ack, session, seq: recorder.length, payload: new Uint8Array(0) });
    });
    const attached = await client.request('session.attach', { session, readOnly: true, resume: { stream, offset: 0 } });
    if (attached.snapshot) throw new Error('the daemon answered a resume from 0 with a snapshot');
    return recorder;
  }

  /** Everything so far; throws if the daemon's own frames were not contiguous from 0. */
  get bytes(): Buffer {
    if (this.gap) throw new Error(`the daemon's stream is not contiguous: ${this.gap}`);
    if (this.chunks.length > 1) this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks, this.length));
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  close(): void {
    this.client.close();
  }
}

export interface ChildServer {
  url: string;
  port: number;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const started: ChildProcess[] = [];

function exitOf(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

function childServer(child: ChildProcess, url: string, port: number): ChildServer {
  started.push(child);
  return {
    url,
    port,
    child,
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exitOf(child);
    },
  };
}

/** Kills (by pid) every relay and redis-server these fixtures started. */
export async function stopStarted(): Promise<void> {
  await Promise.all(started.splice(0).map((child) => (child.kill('SIGKILL'), exitOf(child))));
}

/** A relay server process (the one `vibe relay` and `npx @vibe/relay-server` run) on a free port. */
export function startRelay(args: string[]): Promise<ChildServer> {
  const entry = createRequire(import.meta.url).resolve('@vibe/relay-server/main');
  const child = spawn(process.execPath, [entry, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the relay did not start: ${output.join('\n')}`));
    }, 10_000);
    child.once('exit', () => reject(new Error(`the relay exited before listening: ${output.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string; port?: number };
      if (entry.msg !== 'listening') return;
      clearTimeout(timer);
      resolve(childServer(child, entry.url!, entry.port!));
    });
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A throwaway redis-server on a free port, without persistence. */
export async function startRedis(): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', () => reject(new Error('redis-server exited')));
  });
  return childServer(child, `redis://127.0.0.1:${port}`, port);
}

/**
 * One 127.0.0.1 port in front of several relays: each new connection goes to the first backend, in order,
 * that accepts it, and is piped both ways. A dead backend refuses, so its clients' reconnects land on the next.
 */
export class TcpBalancer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  /** Backend port of each connection forwarded so far, in order. */
  readonly routed: number[] = [];
  port = 0;

  constructor(private readonly backends: number[]) {
    this.server = createServer((client) => {
      client.on('error', () => {});
      this.forward(client, 0);
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  private forward(client: Socket, index: number): void {
    const port = this.backends[index];
    if (port === undefined) return void client.destroy();
    client.pause();
    const backend = tcpConnect(port, '127.0.0.1');
    let connected = false;
    backend.on('error', () => (connected ? client.destroy() : this.forward(client, index + 1)));
    backend.once('connect', () => {
      connected = true;
      this.routed.push(port);
      for (const socket of [client, backend]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.on('error', () => backend.destroy()).on('close', () => backend.destroy());
      backend.on('close', () => client.destroy());
      client.pipe(backend);
      backend.pipe(client);
      client.resume();
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
