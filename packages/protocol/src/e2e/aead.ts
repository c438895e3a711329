// AES-256-GCM behind a small synchronous interface, so Node can plug in OpenSSL while browsers use @noble.
import { gcm } from '@noble/ciphers/aes.js';

/** One key's authenticated cipher. `open` returns undefined when the tag does not verify. */
export interface Aead {
  seal(nonce: Uint8Array, plaintext: Uint8Array): Uint8Array;
  open(nonce: Uint8Array, sealed: Uint8Array): Uint8Array | undefined;
  /**
   * Seals the pieces as one plaintext into one fresh buffer, after `headroom` bytes left for the caller's
   * headers: `[headroom][ciphertext ‖ tag]`. Optional: a cipher that can take its input in pieces saves
   * joining them and copying the result (the daemon's fan-out of one chunk to many viewers).
   */
  sealv?(nonce: Uint8Array, parts: readonly Uint8Array[], headroom: number): Uint8Array;
  /**
   * Optional: sets up the cipher for `nonce` ahead of the seal (or open) that will use it, so that call only
   * encrypts or decrypts. Only the next such call with exactly this nonce uses what was set up, once; any other
   * call sets up its own. The record layer calls it, off the hot path, for the record number that comes next.
   */
  prepare?(nonce: Uint8Array, use: 'seal' | 'open'): void;
}

/** Makes an Aead for a 32-byte key. */
export type AeadFactory = (key: Uint8Array) => Aead;

export const AEAD_KEY_BYTES = 32;
export const AEAD_NONCE_BYTES = 12;
export const AEAD_TAG_BYTES = 16;

/**
 * The runtime-neutral AES-256-GCM: audited pure JavaScript (@noble/ciphers), synchronous, and available where
 * WebCrypto's `subtle` is not (a page served over plain http on a LAN address). Node uses `nodeAead` from
 * `@vibe/protocol/node` instead, which is the same cipher through OpenSSL and some 50 times faster.
 */
export const nobleAead: AeadFactory = (key) => ({
  seal: (nonce, plaintext) => gcm(key, nonce).encrypt(plaintext),
  open: (nonce, sealed) => {
    try {
      return gcm(key, nonce).decrypt(sealed);
    } catch {
      return undefined;
    }
  },
});
