// WebCrypto's AES-256-GCM against @noble's: the same bytes on the wire either way, and records sealed by one
// record cipher open with the other — so a browser on WebCrypto and a daemon on OpenSSL speak one format.
import { describe, expect, it } from 'vitest';
import { nobleAead } from './aead.js';
import { randomBytes } from './bytes.js';
import { AsyncRecordCipher, RecordCipher } from './records.js';
import { webCryptoAead } from './webcrypto-aead.js';

const key = randomBytes(32);
const nonce = randomBytes(12);

describe('webCryptoAead', () => {
  it('seals exactly what nobleAead seals, and each opens the other', async () => {
    const webcrypto = await webCryptoAead(crypto.subtle)(key);
    const plaintext = randomBytes(70_000);
    const sealed = await webcrypto.seal(nonce, plaintext);
    expect(sealed).toEqual(nobleAead(key).seal(nonce, plaintext));
    expect(await webcrypto.open(nonce, nobleAead(key).seal(nonce, plaintext))).toEqual(plaintext);
  });

  it('opens nothing that was altered, nor with another nonce, nor a stub shorter than the tag', async () => {
    const webcrypto = await webCryptoAead(crypto.subtle)(key);
    const sealed = await webcrypto.seal(nonce, new TextEncoder().encode('hello'));
    const flipped = sealed.slice();
    flipped[0]! ^= 0x80;
    expect(await webcrypto.open(nonce, flipped)).toBeUndefined();
    expect(await webcrypto.open(randomBytes(12), sealed)).toBeUndefined();
    expect(await webcrypto.open(nonce, sealed.subarray(0, 15))).toBeUndefined();
  });
});

describe('AsyncRecordCipher', () => {
  const keys = { send: randomBytes(32), receive: randomBytes(32) };
  const peer = { send: keys.receive, receive: keys.send };

  it('seals records a RecordCipher opens in order, long writes split as RecordCipher splits them', async () => {
    const sender = new AsyncRecordCipher(keys, webCryptoAead(crypto.subtle));
    const receiver = new RecordCipher(peer, nobleAead);
    const big = randomBytes(300_000);
    const batches = await Promise.all([sender.seal(new TextEncoder().encode('one')), sender.seal(big), sender.seal(new TextEncoder().encode('two'))]);
    expect(batches.map((records) => records.length)).toEqual([1, 2, 1]);
    const opened = batches.flat().map((record) => receiver.open(record));
    expect(new TextDecoder().decode(opened[0])).toBe('one');
    expect(new Uint8Array(opened.slice(1, 3).flatMap((part) => [...part]))).toEqual(big);
    expect(new TextDecoder().decode(opened[3])).toBe('two');
  }, 15_000);

  it('opens in the order opens were called, and refuses a record out of turn', async () => {
    const sender = new RecordCipher(peer, nobleAead);
    const records = ['a', 'b', 'c'].map((word) => sender.seal(new TextEncoder().encode(word))[0]!);
    const inOrder = new AsyncRecordCipher(keys, webCryptoAead(crypto.subtle));
    const words = await Promise.all(records.map((record) => inOrder.open(record)));
    expect(words.map((word) => new TextDecoder().decode(word))).toEqual(['a', 'b', 'c']);
    const swapped = new AsyncRecordCipher(keys, webCryptoAead(crypto.subtle));
    await expect(swapped.open(records[1]!)).rejects.toMatchObject({ kind: 'unauthorized' });
  });
});
