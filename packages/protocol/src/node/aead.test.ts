import { randomBytes } from 'node:crypto';
import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { nobleAead, type AeadFactory } from '../e2e/aead.js';
import type { SessionKeys } from '../e2e/handshake.js';
import { RecordCipher } from '../e2e/records.js';
import { nodeAead } from './aead.js';

// Counts the cipher objects OpenSSL is asked for, so a test can tell a prepared one was used.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, createCipheriv: vi.fn(actual.createCipheriv), createDecipheriv: vi.fn(actual.createDecipheriv) };
});
const created = () => vi.mocked(crypto.createCipheriv).mock.calls.length + vi.mocked(crypto.createDecipheriv).mock.calls.length;

const key = randomBytes(32);
const nonceA = randomBytes(12);
const nonceB = randomBytes(12);
const message = new TextEncoder().encode('a key typed');
const reference = (nonce: Uint8Array) => nobleAead(key).seal(nonce, message);

describe('nodeAead.prepare', () => {
  it('sets up a seal ahead: the seal with that nonce uses it, once, and gives the same bytes', () => {
    const aead = nodeAead(key);
    aead.prepare!(nonceA, 'seal');
    const before = created();
    expect(aead.seal(nonceA, message)).toEqual(reference(nonceA));
    expect(created()).toBe(before);
    // Used up: the same nonce again sets up its own (an OpenSSL object cannot seal twice).
    expect(aead.seal(nonceA, message)).toEqual(reference(nonceA));
    expect(created()).toBe(before + 1);
  });

  it('keeps what was prepared for one nonce out of a call with another, and out of the other direction', () => {
    const aead = nodeAead(key);
    aead.prepare!(nonceA, 'seal');
    expect(aead.seal(nonceB, message)).toEqual(reference(nonceB));
    expect(aead.open(nonceA, reference(nonceA))).toEqual(message);
    const before = created();
    expect(aead.sealv!(nonceA, [message.subarray(0, 3), message.subarray(3)], 2).subarray(2)).toEqual(reference(nonceA));
    expect(created()).toBe(before);
  });

  it('opens with a prepared decipher, and refuses an altered record with one all the same', () => {
    const aead = nodeAead(key);
    const altered = reference(nonceA).slice();
    altered[0]! ^= 1;
    aead.prepare!(nonceA, 'open');
    expect(aead.open(nonceA, altered)).toBeUndefined();
    aead.prepare!(nonceA, 'open');
    const before = created();
    expect(aead.open(nonceA, reference(nonceA))).toEqual(message);
    expect(created()).toBe(before);
  });
});

describe('RecordCipher with a cipher that prepares', () => {
  const keys: SessionKeys = { send: randomBytes(32), receive: randomBytes(32) } as SessionKeys;
  const peerKeys = { send: keys.receive, receive: keys.send } as SessionKeys;

  it('sets up the next record number each way once the task that used the last is done', async () => {
    const calls: string[] = [];
    const spying: AeadFactory = (k) => {
      const aead = nodeAead(k);
      return { ...aead, prepare: (nonce, use) => (calls.push(`${use} ${nonce.at(-1)}`), aead.prepare!(nonce, use)) };
    };
    const cipher = new RecordCipher(keys, spying);
    const peer = new RecordCipher(peerKeys, nobleAead);
    expect(calls).toEqual([]);
    await Promise.resolve();
    expect(calls).toEqual(['seal 0', 'open 0']);
    const records = [0, 1, 2].flatMap((i) => cipher.seal(new Uint8Array([i])));
    expect(calls).toHaveLength(2);
    await Promise.resolve();
    // One setup for the task, for the record number that comes next, and none for the direction not used.
    expect(calls.slice(2)).toEqual(['seal 3']);
    expect(records.map((record) => [...peer.open(record)])).toEqual([[0], [1], [2]]);
    expect([...cipher.open(peer.seal(new Uint8Array([7]))[0]!)]).toEqual([7]);
    await Promise.resolve();
    expect(calls.slice(3)).toEqual(['open 1']);
    // Records sealed with prepared objects and without them read the same on the other side.
    expect([...peer.open(cipher.seal(new Uint8Array([9]))[0]!)]).toEqual([9]);
  });
});
