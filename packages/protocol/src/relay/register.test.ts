// Tests for the registration messages, the signed transcript and the daemon ids a relay grants.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../e2e/bytes.js';
import { daemonIdFor } from '../e2e/identity.js';
import { isBase64urlOfLength, isDaemonId, parseRelayTextMessage, registerTranscript, RelayMessageError } from './register.js';

function bytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (pair) => parseInt(pair, 16));
}
const toHex = (data: Uint8Array): string => Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
const b64 = (n: number, fill = 0): string => toBase64Url(new Uint8Array(n).fill(fill));

describe('registerTranscript', () => {
  it('is the label, the raw nonce and the instance id, in that order', () => {
    const nonce = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(toHex(registerTranscript(nonce, 'relayA1'))).toBe(
      '766962652d72656c61792d72656769737465722d76310a' + toHex(nonce) + '72656c61794131',
    );
  });

  it('refuses a nonce of the wrong length', () => {
    expect(() => registerTranscript(new Uint8Array(31), 'r')).toThrow(RelayMessageError);
  });
});

describe('daemon ids', () => {
  it('are base64url of the first 16 bytes of SHA-256 of the key', () => {
    // SHA-256 of 32 zero bytes is 66687aad f862bd77 6c8fc18b 8e9f8e20 ...
    expect(daemonIdFor(new Uint8Array(32))).toBe('Zmh6rfhivXdsj8GLjp-OIA');
    const pk = bytes('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'); // RFC 8032 test 1
    expect(daemonIdFor(pk)).toBe(createHash('sha256').update(pk).digest().subarray(0, 16).toString('base64url'));
    expect(daemonIdFor(pk)).toHaveLength(22);
  });

  it('are recognised by isDaemonId, and nothing else is', () => {
    expect(isDaemonId(daemonIdFor(new Uint8Array(32)))).toBe(true);
    for (const bad of ['', 'Zmh6rfhivXdsj8GLjp-OI', 'Zmh6rfhivXdsj8GLjp-OIB', 'Zmh6rfhivXdsj8GLjp+OIA', 42]) expect(isDaemonId(bad)).toBe(false);
  });

  it('checks base64url lengths exactly', () => {
    expect(isBase64urlOfLength(b64(32), 32)).toBe(true);
    expect(isBase64urlOfLength(b64(31), 32)).toBe(false);
    expect(isBase64urlOfLength(b64(32) + '=', 32)).toBe(false);
    expect(isBase64urlOfLength(42, 32)).toBe(false);
  });
});

describe('parseRelayTextMessage', () => {
  const challenge = { type: 'challenge', protocol: 1, relay: 'inst-1_A', nonce: b64(32, 7) };
  const register = { type: 'register', publicKey: b64(32, 1), signature: b64(64, 2) };
  const registered = { type: 'registered', daemonId: 'Zmh6rfhivXdsj8GLjp-OIA' };

  it('accepts each well-formed message and drops unknown fields', () => {
    expect(parseRelayTextMessage(JSON.stringify(challenge))).toEqual(challenge);
    expect(parseRelayTextMessage(JSON.stringify({ ...register, extra: 1 }))).toEqual(register);
    expect(parseRelayTextMessage(JSON.stringify(registered))).toEqual(registered);
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['null', 'null'],
    ['an unknown type', JSON.stringify({ type: 'hello' })],
    ['another protocol', JSON.stringify({ ...challenge, protocol: 2 })],
    ['a short nonce', JSON.stringify({ ...challenge, nonce: b64(31) })],
    ['a bad instance id', JSON.stringify({ ...challenge, relay: 'a b' })],
    ['a padded key', JSON.stringify({ ...register, publicKey: b64(32) + '=' })],
    ['a short signature', JSON.stringify({ ...register, signature: b64(63) })],
    ['a numeric key', JSON.stringify({ ...register, publicKey: 5 })],
    ['a long daemon id', JSON.stringify({ ...registered, daemonId: b64(17) })],
    ['an oversized message', JSON.stringify({ ...register, pad: 'x'.repeat(2000) })],
  ])('refuses %s', (_name, text) => {
    expect(() => parseRelayTextMessage(text)).toThrow(RelayMessageError);
  });
});
