import { describe, expect, it } from 'vitest';
import { nodeAead } from '../node/aead.js';
import { nobleAead } from './aead.js';
import { fromBase64Url, randomBytes, toBase64Url } from './bytes.js';
import { acceptClientHello, ClientHandshake, E2eError, generateIdentity, type LinkLookup } from './handshake.js';
import { daemonIdFor } from './identity.js';
import { formatLink, parseLink, relaySocketUrl, type ParsedLink } from './link.js';
import { MAX_RECORD_PLAINTEXT, RecordCipher } from './records.js';

const identity = generateIdentity();
const secret = randomBytes(32);
const linkId = toBase64Url(randomBytes(8));
const link: ParsedLink = { relayUrl: 'http://127.0.0.1:7777', daemonId: daemonIdFor(identity.publicKey), linkId, secret };
const lookup: LinkLookup = (id) => (id === linkId ? { secret } : undefined);

function handshake(clientLink = link, daemonLookup = lookup, daemon = identity) {
  const client = new ClientHandshake(clientLink);
  const accepted = acceptClientHello(client.hello, daemonLookup, daemon);
  const clientKeys = client.finish(accepted.reply);
  return { clientKeys, daemonKeys: accepted.keys, accepted };
}

function failure(run: () => unknown): E2eError {
  try {
    run();
  } catch (error) {
    if (error instanceof E2eError) return error;
    throw error;
  }
  throw new Error('expected an E2eError');
}

describe('base64url', () => {
  it('round-trips every length and refuses other alphabets, padding and stray bits', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = randomBytes(n);
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
    expect(fromBase64Url('ab+/')).toBeUndefined();
    expect(fromBase64Url('YQ==')).toBeUndefined();
    expect(fromBase64Url('YR')).toBeUndefined(); // 'YQ' is the only encoding of "a"
    expect(fromBase64Url('A')).toBeUndefined();
  });
});

describe('links', () => {
  it('carry the secret only in the fragment and parse back to the same parts', () => {
    const url = formatLink({ ...link, relayUrl: 'https://relay.example/vibe/' });
    expect(url.startsWith('https://relay.example/vibe/#v1.')).toBe(true);
    expect(new URL(url).pathname).toBe('/vibe/');
    expect(new URL(url).hash).toContain(toBase64Url(secret));
    expect(parseLink(url)).toEqual({ ...link, relayUrl: 'https://relay.example/vibe' });
  });

  it('refuse anything that is not a whole vibe link, saying what is wrong', () => {
    const good = formatLink(link);
    expect(() => parseLink('http://127.0.0.1:7777/')).toThrow(/no #/);
    expect(() => parseLink(good.slice(0, -5))).toThrow(/secret is malformed/);
    expect(() => parseLink(good.replace('#v1.', '#v9.'))).toThrow(/version v9/);
    expect(() => parseLink(good.replace('http:', 'ftp:'))).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseLink('http://u:p@relay/#v1.a.b.c')).toThrow(/user name/);
    expect(() => parseLink(good.replace(link.daemonId, 'x'.repeat(22)))).toThrow(/daemon id/);
  });

  it('name the relay endpoints for daemons and clients', () => {
    expect(relaySocketUrl('https://relay.example/base/', 'daemon')).toBe('wss://relay.example/base/v1/daemon');
    expect(relaySocketUrl('http://127.0.0.1:8080', { daemonId: 'abc' })).toBe('ws://127.0.0.1:8080/v1/client?daemon=abc');
  });
});

describe('the handshake', () => {
  it('gives both sides the same pair of keys, crosswise', () => {
    const { clientKeys, daemonKeys } = handshake();
    expect(clientKeys.send).toEqual(daemonKeys.receive);
    expect(clientKeys.receive).toEqual(daemonKeys.send);
    expect(clientKeys.send).not.toEqual(clientKeys.receive);
  });

  it('derives fresh keys every time (ephemeral keys: a leaked link secret opens no recorded connection)', () => {
    expect(handshake().clientKeys.send).not.toEqual(handshake().clientKeys.send);
  });

  it('refuses a wrong secret, an unknown link and a revoked link, with the close code to use', () => {
    const wrong = failure(() => handshake({ ...link, secret: randomBytes(32) }));
    expect([wrong.kind, wrong.closeCode]).toEqual(['unauthorized', 4401]);
    expect(wrong.message).not.toContain(toBase64Url(secret));
    expect(failure(() => handshake(link, () => undefined)).closeCode).toBe(4403);
    expect(failure(() => handshake(link, () => 'revoked')).kind).toBe('revoked');
  });

  it('lets the client detect a daemon other than the one its link pins', () => {
    const impostor = generateIdentity();
    expect(failure(() => handshake(link, lookup, impostor)).kind).toBe('wrong-daemon');
  });

  it('refuses a server hello whose signature or key was tampered with', () => {
    const client = new ClientHandshake(link);
    const { reply } = acceptClientHello(client.hello, lookup, identity);
    const flipped = reply.slice();
    flipped[100]! ^= 1;
    expect(failure(() => client.finish(flipped)).kind).toBe('wrong-daemon');
    const swappedEphemeral = reply.slice();
    swappedEphemeral[5]! ^= 1;
    expect(failure(() => new ClientHandshake(link).finish(swappedEphemeral)).kind).toBe('wrong-daemon');
    expect(failure(() => client.finish(reply.subarray(0, 50))).kind).toBe('malformed');
  });

  it('refuses a tampered client hello (a relay changing the ephemeral key breaks the MAC)', () => {
    const client = new ClientHandshake(link);
    for (const index of [2, 12, 50, 73]) {
      const hello = client.hello.slice();
      hello[index]! ^= 0x10;
      expect(failure(() => acceptClientHello(hello, lookup, identity)).closeCode).toBeGreaterThanOrEqual(4401);
    }
    expect(failure(() => acceptClientHello(client.hello.subarray(1), lookup, identity)).kind).toBe('malformed');
  });
});

describe('records', () => {
  const pair = () => {
    const { clientKeys, daemonKeys } = handshake();
    return { client: new RecordCipher(clientKeys, nobleAead), daemon: new RecordCipher(daemonKeys, nodeAead) };
  };
  const text = (s: string) => new TextEncoder().encode(s);

  it('carry bytes both ways in order, across the two AES-GCM implementations', () => {
    const { client, daemon } = pair();
    for (let i = 0; i < 5; i++) {
      const [record] = client.seal(text(`keys ${i}`));
      expect(new TextDecoder().decode(daemon.open(record!))).toBe(`keys ${i}`);
      const [reply] = daemon.seal(text(`output ${i}`));
      expect(new TextDecoder().decode(client.open(reply!))).toBe(`output ${i}`);
    }
  });

  it('split a large write into records of at most 256 KiB that reassemble exactly', () => {
    const { client, daemon } = pair();
    const big = randomBytes(MAX_RECORD_PLAINTEXT * 2 + 5);
    const records = daemon.seal(big);
    expect(records.map((r) => r.length - 17)).toEqual([MAX_RECORD_PLAINTEXT, MAX_RECORD_PLAINTEXT, 5]);
    const joined = new Uint8Array(big.length);
    let offset = 0;
    for (const record of records) {
      const part = client.open(record);
      joined.set(part, offset);
      offset += part.length;
    }
    // Compared as bytes: a deep equality over half a million elements takes seconds on a loaded machine.
    expect(Buffer.from(joined.buffer, joined.byteOffset, joined.length).equals(big)).toBe(true);
  });

  it('seal pieces as one record after the headroom asked for, with or without a cipher that takes pieces', () => {
    const header = text('frame header|');
    const payload = randomBytes(3000);
    const whole = new Uint8Array([...header, ...payload]);
    for (const aead of [nodeAead, nobleAead]) {
      const { clientKeys, daemonKeys } = handshake();
      const daemon = new RecordCipher(daemonKeys, aead);
      const client = new RecordCipher(clientKeys, nobleAead);
      const [record, ...more] = daemon.sealParts([header, payload], 5);
      expect(more).toEqual([]);
      // Five bytes left for the relay's header, then a record like any other.
      expect(record!.length).toBe(5 + 1 + whole.length + 16);
      expect(Buffer.from(client.open(record!.subarray(5))).equals(Buffer.from(whole))).toBe(true);
      // The record numbers go on from there for plain seals too.
      const [next] = daemon.seal(text('next'), 5);
      expect(new TextDecoder().decode(client.open(next!.subarray(5)))).toBe('next');
    }
  });

  it('seal pieces longer than one record as the records of their joined bytes', () => {
    const { client, daemon } = pair();
    const parts = [randomBytes(MAX_RECORD_PLAINTEXT - 10), randomBytes(30)];
    const records = daemon.sealParts(parts, 5);
    expect(records.map((r) => r.length - 5 - 17)).toEqual([MAX_RECORD_PLAINTEXT, 20]);
    const opened = Buffer.concat(records.map((r) => client.open(r.subarray(5))));
    expect(opened.equals(Buffer.concat(parts))).toBe(true);
  });

  it('reject a flipped bit anywhere, a replay, a reordering and a dropped record', () => {
    for (const index of [0, 1, 10, 30]) {
      const { client, daemon } = pair();
      const [record] = client.seal(text('0123456789abcdef'));
      const flipped = record!.slice();
      flipped[index]! ^= 0x01;
      expect(() => daemon.open(flipped)).toThrow(E2eError);
    }
    const replay = pair();
    const [first] = replay.client.seal(text('rm -rf build\r'));
    replay.daemon.open(first!);
    expect(() => replay.daemon.open(first!)).toThrow(/failed authentication/);

    const reorder = pair();
    const [a, b] = [reorder.client.seal(text('a'))[0]!, reorder.client.seal(text('b'))[0]!];
    expect(() => reorder.daemon.open(b)).toThrow(E2eError);
    expect(new TextDecoder().decode(reorder.daemon.open(a))).toBe('a');

    const drop = pair();
    drop.client.seal(text('lost'));
    const [next] = drop.client.seal(text('next'));
    expect(() => drop.daemon.open(next!)).toThrow(E2eError);
  });

  it('cannot be opened with the other direction’s key (a reflected record fails)', () => {
    const { client } = pair();
    const [record] = client.seal(text('echo'));
    expect(() => client.open(record!)).toThrow(E2eError);
  });
});
