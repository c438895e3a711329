// Checks a daemon's registration signature with node:crypto's Ed25519 (OpenSSL), several times faster than a
// JavaScript implementation; a key that is not a valid point simply fails.
import { createPublicKey, verify } from 'node:crypto';
import { toBase64Url } from '@vibe/protocol';

export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(publicKey) }, format: 'jwk' });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
