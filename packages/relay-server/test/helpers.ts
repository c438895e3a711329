// Test helpers: the built relay as a real process, a real redis-server, and daemons and clients speaking the
// relay protocol over real WebSockets. Every wait is bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { daemonIdFor, decodeRelayMessage, encodeClosePayload, encodeRelayMessage, fromBase64Url, registerTranscript, RelayOp, toBase64Url, type RelayMessage } from '@vibe/protocol';
import WebSocket, { type ClientOptions } from 'ws';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface RelayProcess {
  url: string;
  wsUrl: string;
  port: number;
  instance: string;
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Array<Record<string, unknown>>;
  /** Raw stdout and stderr lines. */
  output: string[];
  exited: Promise<Exit>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: RelayProcess[] = [];

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/**
 * Follows a relay's JSON log on `child`'s stdout (and stderr, for the record) until its `listening` line; rejects
 * with everything it printed when that takes over `timeoutMs` or the process exits first.
 */
export function followRelayLog(child: ChildProcess, what: string, timeoutMs: number): { logs: Array<Record<string, unknown>>; output: string[]; exited: Promise<Exit>; listening: Promise<Record<string, unknown>> } {
  const logs: Array<Record<string, unknown>> = [];
  const output: string[] = [];
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${output.join('\n')}`)), timeoutMs);
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'listening') {
        clearTimeout(timer);
        resolve(entry);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${what} exited before listening: ${output.join('\n')}`));
    });
  });
  return { logs, output, exited, listening };
}

/** Starts dist/main.js with `args` and resolves once its first log line names the port. */
export async function startRelayProcess(args: string[] = []): Promise<RelayProcess> {
  const child = spawn(process.execPath, [MAIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const { logs, output, exited, listening } = followRelayLog(child, 'relay', 10_000);
  let entry: Record<string, unknown>;
  try {
    entry = await listening;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const url = entry.url as string;
  const relay: RelayProcess = {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    port: entry.port as number,
    instance: entry.instance as string,
    child,
    logs,
    output,
    exited,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  started.push(relay);
  return relay;
}

/** Kills (by pid) every relay process this file started and has not stopped. */
export async function stopAllRelays(): Promise<void> {
  await Promise.all(started.splice(0).map((relay) => relay.stop('SIGKILL')));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RedisProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const redisStarted: RedisProcess[] = [];

/** Kills (by pid) every redis-server this file started and has not stopped — also those a failed test left. */
export async function stopAllRedis(): Promise<void> {
  await Promise.all(redisStarted.splice(0).map((redis) => redis.stop()));
}

/** A throwaway redis-server on a free port, no persistence. */
export async function startRedis(port?: number): Promise<RedisProcess> {
  const p = port ?? (await freePort());
  const child = spawn('/usr/bin/redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const redis: RedisProcess = {
    url: `redis://127.0.0.1:${p}`,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  // Registered before it is ready: a start that fails half-way leaves nothing running either.
  redisStarted.push(redis);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => reject(new Error('redis-server exited')));
  });
  return redis;
}

export interface Closed {
  code: number;
  reason: string;
}

/** A WebSocket with an inbox: every message, and the close when it comes. */
export class Peer {
  readonly messages: Array<{ data: Buffer; binary: boolean }> = [];
  closed: Closed | undefined;
  private waiters: Array<() => void> = [];
  readonly opened: Promise<void>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, binary: boolean) => {
      this.messages.push({ data, binary });
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('close', () => reject(new Error('closed before open')));
      ws.once('error', reject);
    });
    this.opened.catch(() => undefined);
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Waits until `test` holds, rechecking on every event; rejects after `ms`. */
  async until<T>(test: () => T | undefined | false, what: string, ms = 5_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = test();
      if (value !== undefined && value !== false) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  whenClosed(ms = 5_000): Promise<Closed> {
    return this.until(() => this.closed, 'close', ms);
  }

  /** Takes the next message off the inbox. */
  async next(ms = 5_000): Promise<{ data: Buffer; binary: boolean }> {
    await this.until(() => this.messages.length > 0, 'a message', ms);
    return this.messages.shift()!;
  }

  close(): void {
    this.ws.close();
  }
}

export interface TestDaemon extends Peer {
  daemonId: string;
  publicKey: Uint8Array;
  /** Relay messages received after registering. */
  relayMessages(): RelayMessage[];
}

export interface DaemonKey {
  publicKey: Uint8Array;
  privateKey: KeyObject;
}

export function newDaemonKey(): DaemonKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { publicKey: fromBase64Url(jwk.x!)!, privateKey };
}

/** Connects to /v1/daemon and registers with `key`; resolves once registered. `options` go to ws (e.g. a TLS `ca`). */
export async function connectDaemon(wsUrl: string, key: DaemonKey = newDaemonKey(), options?: ClientOptions): Promise<TestDaemon & DaemonPeer> {
  const peer = new DaemonPeer(new WebSocket(`${wsUrl}/v1/daemon`, options), key);
  await peer.opened;
  const challenge = JSON.parse((await peer.next()).data.toString()) as { relay: string; nonce: string };
  const signature = sign(null, registerTranscript(fromBase64Url(challenge.nonce)!, challenge.relay), key.privateKey);
  peer.ws.send(JSON.stringify({ type: 'register', publicKey: toBase64Url(key.publicKey), signature: toBase64Url(signature) }));
  const registered = JSON.parse((await peer.next()).data.toString()) as { type: string; daemonId: string };
  if (registered.type !== 'registered' || registered.daemonId !== peer.daemonId) throw new Error(`not registered: ${JSON.stringify(registered)}`);
  return peer;
}

export class DaemonPeer extends Peer implements TestDaemon {
  readonly daemonId: string;
  readonly publicKey: Uint8Array;

  constructor(ws: WebSocket, key: DaemonKey) {
    super(ws);
    this.publicKey = key.publicKey;
    this.daemonId = daemonIdFor(key.publicKey);
  }

  relayMessages(): RelayMessage[] {
    return this.messages.filter((m) => m.binary).map((m) => decodeRelayMessage(m.data));
  }

  /** Waits for a relay message matching `test` and removes it (and everything before it) from the inbox. */
  async expect(test: (m: RelayMessage) => boolean, what: string, ms = 5_000): Promise<RelayMessage> {
    return this.until(() => {
      const index = this.messages.findIndex((m) => m.binary && m.data.length >= 5 && test(decodeRelayMessage(m.data)));
      if (index < 0) return undefined;
      const found = this.messages.splice(0, index + 1).pop()!;
      return decodeRelayMessage(found.data);
    }, what, ms);
  }

  /** Waits for the OPEN of a new client and returns its conn id. */
  async nextOpen(ms?: number): Promise<number> {
    return (await this.expect((m) => m.op === RelayOp.Open, 'OPEN', ms)).conn;
  }

  sendData(conn: number, payload: Uint8Array): void {
    this.ws.send(encodeRelayMessage({ op: RelayOp.Data, conn, payload }));
  }

  closeClient(conn: number, code: number, reason: string): void {
    this.ws.send(encodeRelayMessage({ op: RelayOp.Close, conn, payload: encodeClosePayload(code, reason) }));
  }
}

export function connectClient(wsUrl: string, daemonId: string, options?: ClientOptions): Peer {
  return new Peer(new WebSocket(`${wsUrl}/v1/client?daemon=${encodeURIComponent(daemonId)}`, options));
}

export async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  return (await res.json()) as Record<string, unknown>;
}

/** Polls /healthz until `ready` holds (bounded at 5 s), so counts that settle asynchronously are read settled. */
export async function untilHealth(base: string, ready: (health: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const health = await getJson(`${base}/healthz`);
    if (ready(health)) return health;
    if (Date.now() > deadline) throw new Error(`/healthz never settled: ${JSON.stringify(health)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One sample from Prometheus text, e.g. metric(text, 'vibe_relay_connections{role="client"}'). */
export function metric(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

export async function metrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
