// Tests for the Ed25519 check against RFC 8032's first test vector and tampered copies of it.
import { describe, expect, it } from 'vitest';
import { verifyEd25519 } from './verify.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const PK = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const SIG = hex('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');

describe('verifyEd25519', () => {
  it('accepts RFC 8032 test 1 (empty message)', () => {
    expect(verifyEd25519(PK, new Uint8Array(0), SIG)).toBe(true);
  });

  it('refuses a flipped signature bit, another message, another key, or wrong lengths', () => {
    const flipped = SIG.slice();
    flipped[10]! ^= 1;
    expect(verifyEd25519(PK, new Uint8Array(0), flipped)).toBe(false);
    expect(verifyEd25519(PK, new Uint8Array([0]), SIG)).toBe(false);
    const otherKey = PK.slice();
    otherKey[0]! ^= 1;
    expect(verifyEd25519(otherKey, new Uint8Array(0), SIG)).toBe(false);
    expect(verifyEd25519(PK.subarray(1), new Uint8Array(0), SIG)).toBe(false);
    expect(verifyEd25519(PK, new Uint8Array(0), SIG.subarray(1))).toBe(false);
  });

  it('refuses a key that is not a curve point without throwing', () => {
    expect(verifyEd25519(new Uint8Array(32).fill(0xff), new Uint8Array(0), SIG)).toBe(false);
  });
});
