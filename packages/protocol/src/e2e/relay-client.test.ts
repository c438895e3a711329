// connectOverRelay over real sockets on 127.0.0.1: a `ws` server plays the relay and the daemon behind it, so
// the heartbeat meets a real WebSocket stack, pings, pongs and all.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { encodeControl, FrameDecoder } from '../frame.js';
import { PROTOCOL_VERSION } from '../version.js';
import { randomBytes, toBase64Url } from './bytes.js';
import { acceptClientHello, generateIdentity } from './handshake.js';
import { daemonIdFor } from './identity.js';
import { formatLink } from './link.js';
import { RecordCipher } from './records.js';
import { webCryptoAead, type AsyncAeadFactory } from './webcrypto-aead.js';
import { connectOverRelay, RelayConnectError, type RelayConnectOptions, type WebSocketLike } from './relay-client.js';

const identity = generateIdentity();
const secret = randomBytes(32);
const linkId = toBase64Url(randomBytes(8));

interface FakeRelay {
  link: string;
  /** Pings each accepted socket has received from its client. */
  pings: number[];
  sockets: WebSocket[];
  /** Each socket's record cipher, once its handshake is done: for sending more records. */
  ciphers: RecordCipher[];
  close(): Promise<void>;
}

const servers: FakeRelay[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * A relay with its daemon in one: answers the E2E hello and the protocol hello, then stays quiet. With `hung`,
 * it accepts the socket and never reads from it, so nothing is answered, pings included.
 */
async function fakeRelay({ hung = false } = {}): Promise<FakeRelay> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const relay: FakeRelay = {
    link: formatLink({ relayUrl: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`, daemonId: daemonIdFor(identity.publicKey), linkId, secret }),
    pings: [],
    sockets: [],
    ciphers: [],
    close: () => {
      for (const ws of wss.clients) ws.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
  wss.on('connection', (ws) => {
    const index = relay.sockets.push(ws) - 1;
    if (hung) hang(ws);
    relay.pings[index] = 0;
    ws.on('ping', () => relay.pings[index]!++);
    let cipher: RecordCipher | undefined;
    const decoder = new FrameDecoder();
    ws.on('message', (data: Buffer) => {
      if (!cipher) {
        const accepted = acceptClientHello(new Uint8Array(data), () => ({ secret }), identity);
        cipher = new RecordCipher(accepted.keys);
        relay.ciphers[index] = cipher;
        return ws.send(accepted.reply);
      }
      for (const item of decoder.push(cipher.open(new Uint8Array(data)))) {
        if (item.type !== 'frame') continue;
        const welcome = encodeControl({ type: 'welcome', protocol: PROTOCOL_VERSION, daemon: { version: 'test', pid: 1 }, capabilities: [] });
        for (const record of cipher.seal(welcome)) ws.send(record);
      }
    });
  });
  servers.push(relay);
  return relay;
}

const options = (extra: Partial<RelayConnectOptions> = {}): RelayConnectOptions => ({
  WebSocket: WebSocket as never,
  binaryType: 'nodebuffer',
  client: { name: 'test', version: '0' },
  timeoutMs: 5_000,
  ...extra,
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops the server side of `ws` reading, so the client's pings are never answered: a relay that hung. */
function hang(ws: WebSocket): void {
  (ws as unknown as { _socket: { pause(): void } })._socket.pause();
}

/** The ws WebSocket behind only the browser's API: no ping, no on, no terminate. */
class BrowserLikeWebSocket implements WebSocketLike {
  private readonly ws: WebSocket;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.onopen = (event) => this.onopen?.(event);
    this.ws.onmessage = (event) => this.onmessage?.(event);
    this.ws.onclose = (event) => this.onclose?.(event);
    this.ws.onerror = (event) => this.onerror?.(event);
  }
  get binaryType(): string {
    return this.ws.binaryType;
  }
  set binaryType(type: string) {
    this.ws.binaryType = type as WebSocket['binaryType'];
  }
  get readyState(): number {
    return this.ws.readyState;
  }
  send(data: Uint8Array): void {
    this.ws.send(data);
  }
  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }
}

describe('the relay client heartbeat', () => {
  it('pings a quiet relay on its interval and the connection stays up', async () => {
    const relay = await fakeRelay();
    const { client } = await connectOverRelay(relay.link, options({ heartbeatMs: 50 }));
    let closed: Error | undefined;
    client.onClose((error) => (closed = error));
    await sleep(600);
    // About 12 intervals; a loaded machine may run fewer timers, never none.
    expect(relay.pings[0]).toBeGreaterThanOrEqual(5);
    expect(relay.pings[0]).toBeLessThanOrEqual(13);
    expect(closed).toBeUndefined();
    client.close();
  });

  it('ends a welcomed connection with a retryable error when the relay stops answering pings', async () => {
    const relay = await fakeRelay();
    const { client } = await connectOverRelay(relay.link, options({ heartbeatMs: 50 }));
    const closed = new Promise<Error>((resolve) => client.onClose(resolve));
    const hungAt = Date.now();
    hang(relay.sockets[0]!);
    const error = await closed;
    // Noticed on the tick after the first unanswered ping: within two intervals, plus timer slack.
    expect(Date.now() - hungAt).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(RelayConnectError);
    expect(error).toMatchObject({ code: 1006, kind: 'timeout', retryable: true });
    expect(error.message).toMatch(/stopped answering/);
    await expect(client.request('task.list', {})).rejects.toBe(error);
  });

  it('fails a connection attempt early when the relay hangs during the handshake', async () => {
    const relay = await fakeRelay({ hung: true });
    const started = Date.now();
    const attempt = connectOverRelay(relay.link, options({ heartbeatMs: 50, timeoutMs: 5_000 }));
    await expect(attempt).rejects.toMatchObject({ kind: 'timeout', code: 1006, message: expect.stringMatching(/stopped answering/) });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sends no pings where the WebSocket cannot (a browser\'s), and works all the same', async () => {
    const relay = await fakeRelay();
    const { client, welcome } = await connectOverRelay(relay.link, options({ WebSocket: BrowserLikeWebSocket, heartbeatMs: 20 }));
    expect(welcome.protocol).toBe(PROTOCOL_VERSION);
    await sleep(200);
    expect(relay.pings[0]).toBe(0);
    client.close();
  });

  it('sends no pings with heartbeatMs 0', async () => {
    const relay = await fakeRelay();
    const { client } = await connectOverRelay(relay.link, options({ heartbeatMs: 0 }));
    await sleep(200);
    expect(relay.pings[0]).toBe(0);
    client.close();
  });
});

describe('the relay client with an asynchronous cipher (WebCrypto, as in a browser)', () => {
  const event = (seq: number): Uint8Array => encodeControl({ type: 'event', subscription: 1, seq, at: 'now', name: 'task.removed', data: { task: {} } });

  /** WebCrypto, but each open finishes after a random delay: nothing in the API promises they finish in order. */
  const unordered: AsyncAeadFactory = async (key) => {
    const inner = await webCryptoAead(crypto.subtle)(key);
    return { seal: (nonce, plaintext) => inner.seal(nonce, plaintext), open: async (nonce, sealed) => (await sleep(Math.random() * 15), inner.open(nonce, sealed)) };
  };

  it('delivers records in the order they were sealed, though each decrypts on its own', async () => {
    const relay = await fakeRelay();
    const { client, welcome } = await connectOverRelay(relay.link, options({ WebSocket: BrowserLikeWebSocket, asyncAead: unordered }));
    expect(welcome.protocol).toBe(PROTOCOL_VERSION);
    const seen: number[] = [];
    client.onEvent((received) => seen.push(received.seq));
    // Sizes that differ a lot, so a small record that decrypts faster than a big one before it would overtake it.
    for (let seq = 1; seq <= 200; seq++) {
      for (const record of relay.ciphers[0]!.seal(event(seq))) relay.sockets[0]!.send(record);
      if (seq % 50 === 0) relay.sockets[0]!.send(relay.ciphers[0]!.seal(encodeControl({ type: 'event', subscription: 1, seq: 10_000 + seq, at: 'now', name: 'task.removed', data: { task: { pad: 'x'.repeat(100_000) } } }))[0]!);
    }
    const deadline = Date.now() + 5_000;
    while (seen.length < 204 && Date.now() < deadline) await sleep(10);
    const expected: number[] = [];
    for (let seq = 1; seq <= 200; seq++) {
      expected.push(seq);
      if (seq % 50 === 0) expected.push(10_000 + seq);
    }
    expect(seen).toEqual(expected);
    client.close();
  }, 15_000);

  it('ends the connection at a record that fails authentication, delivering nothing after it', async () => {
    const relay = await fakeRelay();
    const { client } = await connectOverRelay(relay.link, options({ WebSocket: BrowserLikeWebSocket, asyncAead: webCryptoAead(crypto.subtle) }));
    const seen: number[] = [];
    client.onEvent((received) => seen.push(received.seq));
    const closed = new Promise<Error>((resolve) => client.onClose(resolve));
    const cipher = relay.ciphers[0]!;
    const [first, second, third] = [1, 2, 3].map((seq) => cipher.seal(event(seq))[0]!);
    second![second!.length - 1]! ^= 1;
    for (const record of [first!, second!, third!]) relay.sockets[0]!.send(record);
    const error = await closed;
    expect(error).toMatchObject({ name: 'RelayConnectError', message: expect.stringMatching(/record 2 failed authentication/) });
    expect(seen).toEqual([1]);
  });
});
