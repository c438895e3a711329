// The daemon's identity as a link names it: a short id that is a hash of its Ed25519 public key.
import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url } from './bytes.js';

/** base64url of the first 16 bytes of SHA-256(publicKey): 128 bits, so nobody can make a key with another's id. */
export function daemonIdFor(publicKey: Uint8Array): string {
  return toBase64Url(sha256(publicKey).subarray(0, 16));
}
