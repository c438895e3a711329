// Tests for the daemon ⇄ relay binary messages and close payloads: golden bytes laid out field by field.
import { describe, expect, it } from 'vitest';
import {
  decodeClosePayload,
  decodeRelayMessage,
  encodeClosePayload,
  encodeRelayMessage,
  isSendableCloseCode,
  RELAY_CLOSE,
  RelayCodecError,
  RelayOp,
  writeRelayHeader,
} from './codec.js';

function bytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}
const toHex = (data: Uint8Array): string => Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');

describe('relay messages', () => {
  it('encodes OPEN as op 01 and a big-endian conn id with no payload', () => {
    expect(toHex(encodeRelayMessage({ op: RelayOp.Open, conn: 1, payload: new Uint8Array(0) }))).toBe('0100000001');
  });

  it('encodes DATA with the payload after the 5-byte header', () => {
    const encoded = encodeRelayMessage({ op: RelayOp.Data, conn: 0x01020304, payload: bytes('deadbeef') });
    expect(toHex(encoded)).toBe('02 01020304 deadbeef'.replace(/ /g, ''));
  });

  it('writes the same header in place into a message that left room for it, at any offset', () => {
    const backing = new Uint8Array(3 + 5 + 4);
    const message = backing.subarray(3);
    message.set(bytes('deadbeef'), 5);
    expect(toHex(writeRelayHeader(message, RelayOp.Data, 0x01020304))).toBe(toHex(encodeRelayMessage({ op: RelayOp.Data, conn: 0x01020304, payload: bytes('deadbeef') })));
    expect(toHex(backing.subarray(0, 3))).toBe('000000');
    expect(() => writeRelayHeader(new Uint8Array(4), RelayOp.Data, 1)).toThrow(RelayCodecError);
    expect(() => writeRelayHeader(new Uint8Array(9), RelayOp.Data, -1)).toThrow(RelayCodecError);
  });

  it('carries the largest conn id', () => {
    expect(toHex(encodeRelayMessage({ op: RelayOp.Close, conn: 0xffffffff, payload: new Uint8Array(0) }))).toBe('03ffffffff');
  });

  it('decodes golden bytes and returns the payload as a view, not a copy', () => {
    const wire = bytes('02 0000002a 68 69');
    const message = decodeRelayMessage(wire);
    expect(message).toEqual({ op: 2, conn: 42, payload: bytes('6869') });
    expect(message.payload.buffer).toBe(wire.buffer);
  });

  it('decodes from a view that does not start at its buffer offset 0', () => {
    const outer = bytes('ff ff 02 00000007 aa');
    expect(decodeRelayMessage(outer.subarray(2))).toEqual({ op: 2, conn: 7, payload: bytes('aa') });
  });

  it('returns unknown ops to the caller rather than throwing', () => {
    expect(decodeRelayMessage(bytes('7f 00000001')).op).toBe(0x7f);
  });

  it('refuses a message shorter than its header', () => {
    for (const hex of ['', '02', '02000000']) expect(() => decodeRelayMessage(bytes(hex))).toThrow(RelayCodecError);
  });

  it('refuses an op or conn id out of range when encoding', () => {
    expect(() => encodeRelayMessage({ op: 256, conn: 0, payload: new Uint8Array(0) })).toThrow(RelayCodecError);
    expect(() => encodeRelayMessage({ op: 1, conn: 2 ** 32, payload: new Uint8Array(0) })).toThrow(RelayCodecError);
    expect(() => encodeRelayMessage({ op: 1, conn: -1, payload: new Uint8Array(0) })).toThrow(RelayCodecError);
  });

  it('round-trips random messages', () => {
    for (let i = 0; i < 200; i++) {
      const payload = Uint8Array.from({ length: i * 7 }, (_, j) => (i * 31 + j) & 0xff);
      const message = { op: i % 4, conn: (i * 2654435761) >>> 0, payload };
      expect(decodeRelayMessage(encodeRelayMessage(message))).toEqual(message);
    }
  });
});

describe('close payloads', () => {
  it('encodes the code big-endian then the UTF-8 reason', () => {
    expect(toHex(encodeClosePayload(RELAY_CLOSE.revoked, 'revoked'))).toBe('1133' + '7265766f6b6564') // 4403 = 0x1133;
  });

  it('cuts a reason over 120 bytes at a character boundary', () => {
    const payload = encodeClosePayload(4000, 'é'.repeat(100));
    expect(payload.length).toBe(2 + 120);
    expect(decodeClosePayload(payload).reason).toBe('é'.repeat(60));
    const odd = encodeClosePayload(4000, 'a' + '€'.repeat(50));
    expect(odd.length).toBeLessThanOrEqual(122);
    expect(decodeClosePayload(odd).reason).toBe('a' + '€'.repeat(39));
  });

  it('decodes golden bytes, and an empty payload as a normal close', () => {
    expect(decodeClosePayload(bytes('0fa0 6279 65'))).toEqual({ code: 4000, reason: 'bye' });
    expect(decodeClosePayload(new Uint8Array(0))).toEqual({ code: 1000, reason: '' });
    expect(decodeClosePayload(bytes('0f'))).toEqual({ code: 1000, reason: '' });
  });

  it('never throws on a bad reason: bad UTF-8 is replaced and a long one is cut', () => {
    expect(decodeClosePayload(bytes('0fa0 ff fe')).reason).toBe('\ufffd\ufffd');
    const long = new Uint8Array(2 + 500).fill(0x61);
    expect(decodeClosePayload(long).reason.length).toBe(120);
  });

  it('knows which codes a close frame may carry', () => {
    for (const code of Object.values(RELAY_CLOSE)) expect(isSendableCloseCode(code)).toBe(true);
    for (const code of [0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 65535]) expect(isSendableCloseCode(code)).toBe(false);
  });

  it('names the close-code table exactly as the spec does', () => {
    expect(RELAY_CLOSE).toEqual({
      tooBig: 1009, restarting: 1012, badRequest: 4400, unauthorized: 4401, revoked: 4403, unknownDaemon: 4404,
      timeout: 4408, replaced: 4409, tooMany: 4429, daemonGone: 4503, slowConsumer: 4508,
    });
  });
});
