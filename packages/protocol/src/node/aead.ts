// AES-256-GCM through OpenSSL: the same cipher as `nobleAead`, some fifty times faster, for Node peers.
import { createCipheriv, createDecipheriv, createSecretKey } from 'node:crypto';
import { AEAD_TAG_BYTES, type AeadFactory } from '../e2e/aead.js';

export const nodeAead: AeadFactory = (key) => {
  const secret = createSecretKey(key);
  return {
    seal(nonce, plaintext) {
      const cipher = createCipheriv('aes-256-gcm', secret, nonce);
      const head = cipher.update(plaintext);
      cipher.final();
      const tag = cipher.getAuthTag();
      const out = new Uint8Array(head.length + AEAD_TAG_BYTES);
      out.set(head, 0);
      out.set(tag, head.length);
      return out;
    },
    sealv(nonce, parts, headroom) {
      const cipher = createCipheriv('aes-256-gcm', secret, nonce);
      let length = 0;
      for (const part of parts) length += part.length;
      const out = new Uint8Array(headroom + length + AEAD_TAG_BYTES);
      let at = headroom;
      for (const part of parts) {
        const sealed = cipher.update(part);
        out.set(sealed, at);
        at += sealed.length;
      }
      const rest = cipher.final();
      out.set(rest, at);
      out.set(cipher.getAuthTag(), at + rest.length);
      return out;
    },
    open(nonce, sealed) {
      if (sealed.length < AEAD_TAG_BYTES) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', secret, nonce);
      decipher.setAuthTag(sealed.subarray(sealed.length - AEAD_TAG_BYTES));
      const head = decipher.update(sealed.subarray(0, sealed.length - AEAD_TAG_BYTES));
      try {
        decipher.final();
      } catch {
        return undefined;
      }
      return new Uint8Array(head.buffer, head.byteOffset, head.length);
    },
  };
};
