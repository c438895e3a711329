// AES-256-GCM through WebCrypto, for browsers: the same cipher and wire format as `nobleAead` (ciphertext then
// the 16-byte tag), run natively — the page's main thread would otherwise spend most of its time in the pure
// JavaScript AES under a fast terminal. WebCrypto is asynchronous and exists only in a secure context (https,
// or localhost), so a page served over plain http on a LAN address keeps `nobleAead`.
import { AEAD_TAG_BYTES } from './aead.js';

/** One key's authenticated cipher, asynchronous. `open` resolves undefined when the tag does not verify. */
export interface AsyncAead {
  seal(nonce: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  open(nonce: Uint8Array, sealed: Uint8Array): Promise<Uint8Array | undefined>;
}

export type AsyncAeadFactory = (key: Uint8Array) => Promise<AsyncAead>;

/** The platform's SubtleCrypto where it has one (a browser's secure context, Node 20), else undefined. */
export function platformSubtle(): SubtleCrypto | undefined {
  return (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
}

/** WebCrypto's own buffers must not be views of a SharedArrayBuffer; copies keep the types honest too. */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => (bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes));

export function webCryptoAead(subtle: SubtleCrypto): AsyncAeadFactory {
  return async (key) => {
    const cryptoKey = await subtle.importKey('raw', own(key), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    return {
      async seal(nonce, plaintext) {
        return new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: own(nonce), tagLength: AEAD_TAG_BYTES * 8 }, cryptoKey, own(plaintext)));
      },
      async open(nonce, sealed) {
        if (sealed.length < AEAD_TAG_BYTES) return undefined;
        try {
          return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: own(nonce), tagLength: AEAD_TAG_BYTES * 8 }, cryptoKey, own(sealed)));
        } catch {
          return undefined;
        }
      },
    };
  };
}
