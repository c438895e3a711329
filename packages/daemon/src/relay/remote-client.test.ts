import { describe, expect, it } from 'vitest';
import { ClientHandshake, daemonIdFor, generateIdentity, randomBytes, RecordCipher, RELAY_HEADER_SIZE, toBase64Url, type ParsedLink } from '@vibe/protocol';
import { nodeAead } from '@vibe/protocol/node';
import { nullLogger } from '../logger.js';
import type { LinkAccess } from '../control/index.js';
import { RemoteClient } from './remote-client.js';

const identity = generateIdentity();
const secret = randomBytes(32);
const linkId = toBase64Url(randomBytes(8));
const link: ParsedLink = { relayUrl: 'http://127.0.0.1:1', daemonId: daemonIdFor(identity.publicKey), linkId, secret };

/** A remote client wired to recorders instead of the relay and the control room. */
function setup(options: { revoked?: boolean; readOnly?: boolean } = {}) {
  const toClient: Uint8Array[] = [];
  const closes: Array<{ code: number; reason: string }> = [];
  const received: Uint8Array[] = [];
  const opened: LinkAccess[] = [];
  let portClosed = false;
  const client = new RemoteClient({
    conn: 7,
    identity,
    lookup: (id) => (id !== linkId ? undefined : options.revoked ? 'revoked' : { secret }),
    access: (id) => ({ kind: 'link', linkId: id, label: 'phone', readOnly: options.readOnly ?? false }),
    openControl: (transport, access) => {
      opened.push(access);
      transport.write(new TextEncoder().encode('welcome'));
      return { receive: (chunk) => received.push(chunk), drained() {}, closed: () => (portClosed = true) };
    },
    send: (message) => toClient.push(message.subarray(RELAY_HEADER_SIZE)),
    close: (code, reason) => closes.push({ code, reason }),
    onEstablished() {},
    onEnded() {},
    aead: nodeAead,
    logger: nullLogger,
  });
  const handshake = new ClientHandshake(link);
  const connect = (): RecordCipher => {
    client.receive(handshake.hello);
    return new RecordCipher(handshake.finish(toClient[0]!), nodeAead);
  };
  return { client, toClient, closes, received, opened, connect, portClosed: () => portClosed, handshake };
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('a remote client', () => {
  it('opens a control connection with its link’s access after the handshake, and carries bytes both ways', () => {
    const s = setup({ readOnly: true });
    const cipher = s.connect();
    expect(s.opened).toEqual([{ kind: 'link', linkId, label: 'phone', readOnly: true }]);
    expect(decode(cipher.open(s.toClient[1]!))).toBe('welcome');
    for (const record of cipher.seal(text('hello daemon'))) s.client.receive(record);
    expect(s.received.map(decode)).toEqual(['hello daemon']);
  });

  it('closes a wrong secret with 4401 and opens nothing', () => {
    const s = setup();
    s.client.receive(new ClientHandshake({ ...link, secret: randomBytes(32) }).hello);
    expect(s.closes).toEqual([{ code: 4401, reason: 'authentication failed' }]);
    expect(s.opened).toEqual([]);
  });

  it('closes a revoked link with 4403', () => {
    const s = setup({ revoked: true });
    s.client.receive(new ClientHandshake(link).hello);
    expect(s.closes[0]!.code).toBe(4403);
    expect(s.opened).toEqual([]);
  });

  it('lets no byte of a replayed, reordered, flipped or dropped record through, and closes the connection', () => {
    const tampered: Array<(records: Uint8Array[]) => Uint8Array[]> = [
      ([a]) => [a!, a!], // replay
      ([a, b, c]) => [a!, c!, b!], // reorder
      ([a, b]) => [a!, flip(b!)], // flip
      ([a, , c]) => [a!, c!], // drop
    ];
    for (const tamper of tampered) {
      const s = setup();
      const cipher = s.connect();
      const records = ['one', 'two', 'three'].map((word) => cipher.seal(text(word))[0]!);
      for (const record of tamper(records)) s.client.receive(record);
      expect(s.received.map(decode)).toEqual(['one']);
      expect(s.closes).toEqual([{ code: 4401, reason: 'authentication failed' }]);
      expect(s.portClosed()).toBe(true);
    }
  });

  it('closes a client that never finishes its handshake', async () => {
    const closes: number[] = [];
    new RemoteClient({
      conn: 1,
      identity,
      lookup: () => undefined,
      access: () => undefined,
      openControl: () => ({ receive() {}, drained() {}, closed() {} }),
      send() {},
      close: (code) => closes.push(code),
        onEstablished() {},
      onEnded() {},
      aead: nodeAead,
      logger: nullLogger,
      handshakeTimeoutMs: 20,
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(closes).toEqual([4408]);
  });
});

function flip(record: Uint8Array): Uint8Array {
  const copy = record.slice();
  copy[copy.length - 3]! ^= 0x40;
  return copy;
}
