// The record layer after the handshake: AES-256-GCM with an implicit counter nonce per direction, so a
// replayed, reordered, dropped or altered record fails to open and the connection ends.
import { AEAD_NONCE_BYTES, nobleAead, type Aead, type AeadFactory } from './aead.js';
import { concatBytes } from './bytes.js';
import { E2eError, E2eMessage, type SessionKeys } from './handshake.js';
import type { AsyncAead, AsyncAeadFactory } from './webcrypto-aead.js';

/** Most plaintext one record carries; bigger writes are split (the inner byte stream tolerates any split). */
export const MAX_RECORD_PLAINTEXT = 256 * 1024;

/** Seals outgoing and opens incoming records of one connection. */
export class RecordCipher {
  private readonly sealer: Aead;
  private readonly opener: Aead;
  private sent = 0;
  private received = 0;
  /** A seal or open used up what was prepared for it: the next record number's cipher is due (see prepare). */
  private sealDue = true;
  private openDue = true;
  private preparing = false;

  constructor(keys: SessionKeys, aead: AeadFactory = nobleAead) {
    this.sealer = aead(keys.send);
    this.opener = aead(keys.receive);
    this.prepareNext();
  }

  /**
   * One record per ≤ 256 KiB of `plaintext`, each `[0x03][ciphertext ‖ tag]`, after `headroom` bytes the
   * caller fills in (a relay message's header), so the record is never copied again on its way out.
   */
  seal(plaintext: Uint8Array, headroom = 0): Uint8Array[] {
    const records: Uint8Array[] = [];
    let offset = 0;
    do {
      records.push(this.sealOne([plaintext.subarray(offset, offset + MAX_RECORD_PLAINTEXT)], headroom));
      offset += MAX_RECORD_PLAINTEXT;
    } while (offset < plaintext.length);
    return records;
  }

  /** `seal` of the pieces joined, without joining them when they fit one record (a frame's header and payload). */
  sealParts(parts: readonly Uint8Array[], headroom = 0): Uint8Array[] {
    let length = 0;
    for (const part of parts) length += part.length;
    if (length > MAX_RECORD_PLAINTEXT) return this.seal(concatBytes(...parts), headroom);
    return [this.sealOne(parts, headroom)];
  }

  private sealOne(parts: readonly Uint8Array[], headroom: number): Uint8Array {
    const counter = nonce(this.sent++);
    let record: Uint8Array;
    if (this.sealer.sealv) {
      record = this.sealer.sealv(counter, parts, headroom + 1);
    } else {
      const sealed = this.sealer.seal(counter, parts.length === 1 ? parts[0]! : concatBytes(...parts));
      record = new Uint8Array(headroom + 1 + sealed.length);
      record.set(sealed, headroom + 1);
    }
    record[headroom] = E2eMessage.Record;
    this.sealDue = true;
    this.prepareNext();
    return record;
  }

  /** The plaintext of the next record in order; throws E2eError (close 4401) for anything else. */
  open(record: Uint8Array): Uint8Array {
    if (record[0] !== E2eMessage.Record) throw new E2eError('malformed', `expected a record, got message type ${record[0] ?? 'none'}`);
    const plaintext = this.opener.open(nonce(this.received), record.subarray(1));
    if (!plaintext) throw new E2eError('unauthorized', `record ${this.received} failed authentication (altered, replayed, reordered or dropped)`);
    this.received++;
    this.openDue = true;
    this.prepareNext();
    return plaintext;
  }

  /**
   * Has the cipher set up the next record number's state (Aead.prepare) once the current task is done: after
   * the record that was just sealed or opened has been sent or handled, off the path of the next key.
   */
  private prepareNext(): void {
    if (this.preparing || (!this.sealer.prepare && !this.opener.prepare)) return;
    this.preparing = true;
    queueMicrotask(() => {
      this.preparing = false;
      if (this.sealDue) this.sealer.prepare?.(nonce(this.sent), 'seal');
      if (this.openDue) this.opener.prepare?.(nonce(this.received), 'open');
      this.sealDue = this.openDue = false;
    });
  }
}

/**
 * The same records through an asynchronous cipher (WebCrypto). Each call takes its record number when it is
 * made, so callers that start operations in arrival order and use their results in that same order (a promise
 * chain) get exactly RecordCipher's sequence: several records decrypt at once, none is delivered out of turn.
 */
export class AsyncRecordCipher {
  private readonly sealer: Promise<AsyncAead>;
  private readonly opener: Promise<AsyncAead>;
  private sent = 0;
  private received = 0;

  constructor(keys: SessionKeys, aead: AsyncAeadFactory) {
    this.sealer = aead(keys.send);
    this.opener = aead(keys.receive);
    // An import that fails surfaces in the first seal or open; never as an unhandled rejection here.
    this.sealer.catch(() => {});
    this.opener.catch(() => {});
  }

  async seal(plaintext: Uint8Array): Promise<Uint8Array[]> {
    const pieces: Array<{ counter: number; bytes: Uint8Array }> = [];
    let offset = 0;
    do {
      pieces.push({ counter: this.sent++, bytes: plaintext.subarray(offset, offset + MAX_RECORD_PLAINTEXT) });
      offset += MAX_RECORD_PLAINTEXT;
    } while (offset < plaintext.length);
    const sealer = await this.sealer;
    const sealed = await Promise.all(pieces.map((piece) => sealer.seal(nonce(piece.counter), piece.bytes)));
    return sealed.map((bytes) => {
      const record = new Uint8Array(1 + bytes.length);
      record[0] = E2eMessage.Record;
      record.set(bytes, 1);
      return record;
    });
  }

  async open(record: Uint8Array): Promise<Uint8Array> {
    if (record[0] !== E2eMessage.Record) throw new E2eError('malformed', `expected a record, got message type ${record[0] ?? 'none'}`);
    const counter = this.received++;
    const plaintext = await (await this.opener).open(nonce(counter), record.subarray(1));
    if (!plaintext) throw new E2eError('unauthorized', `record ${counter} failed authentication (altered, replayed, reordered or dropped)`);
    return plaintext;
  }
}

/** 4 zero bytes then the record number as a u64, big-endian. Keys are fresh per connection, so never reused. */
function nonce(counter: number): Uint8Array {
  const out = new Uint8Array(AEAD_NONCE_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(4, Math.floor(counter / 2 ** 32));
  view.setUint32(8, counter >>> 0);
  return out;
}
