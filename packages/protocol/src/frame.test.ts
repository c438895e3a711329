// Tests for the binary frame codec: golden bytes written out by hand from the layout, and split writes.
import { describe, expect, it } from 'vitest';
import {
  decodeControlPayload,
  encodeControl,
  encodeFrame,
  encodeFrameHeader,
  FRAME_HEADER_SIZE,
  FrameDecoder,
  FrameError,
  FrameKind,
  type DecodedItem,
  type Frame,
} from './frame.js';

/** Hex with spaces and line breaks allowed, so golden frames can be laid out field by field. */
function bytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0) throw new Error(`odd hex length in ${hex}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

function toHex(data: Uint8Array): string {
  return Array.from(data, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Feeds `chunks` to a fresh decoder and returns everything it yielded, plus the decoder. */
function decodeChunks(chunks: Uint8Array[], maxPayload?: number): { items: DecodedItem[]; decoder: FrameDecoder } {
  const decoder = new FrameDecoder(maxPayload);
  const items = chunks.flatMap((chunk) => decoder.push(chunk));
  return { items, decoder };
}

/** Deterministic PRNG (mulberry32) so a failing random chunking can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function splitAt(data: Uint8Array, ...cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts, data.length];
  return points.slice(1).map((end, i) => data.slice(points[i], end));
}

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

// Golden frames, each field on its own group: magic version kind flags | session | seq | length | payload.
const CONTROL_EMPTY_OBJECT = bytes('56 01 01 00  00000000  0000000000000000  00000002  7b7d');
const OUTPUT_SESSION_7 = bytes('56 01 02 00  00000007  0000010000000005  00000002  6869');
const ACK_EMPTY = bytes('56 01 05 00  00000003  0000000000000400  00000000');
const MAX_FIELDS = bytes('56 01 ff 00  ffffffff  001fffffffffffff  00000001  00');

const controlFrame: Frame = { kind: FrameKind.Control, session: 0, seq: 0, payload: ascii('{}') };
const outputFrame: Frame = { kind: FrameKind.Output, session: 7, seq: 2 ** 40 + 5, payload: ascii('hi') };
const ackFrame: Frame = { kind: FrameKind.Ack, session: 3, seq: 1024, payload: new Uint8Array(0) };
const maxFrame: Frame = { kind: 0xff, session: 0xffff_ffff, seq: Number.MAX_SAFE_INTEGER, payload: new Uint8Array([0]) };

const frameItem = (frame: Frame): DecodedItem => ({ type: 'frame', frame });

describe('encodeFrame', () => {
  it('lays out a control frame with payload {} byte for byte', () => {
    expect(toHex(encodeFrame(controlFrame))).toBe(toHex(CONTROL_EMPTY_OBJECT));
  });

  it('writes a seq above 2^32 as a big-endian u64 split across two words', () => {
    expect(toHex(encodeFrame(outputFrame))).toBe(toHex(OUTPUT_SESSION_7));
  });

  it('writes a frame with an empty payload as a bare 20-byte header', () => {
    const encoded = encodeFrame(ackFrame);
    expect(encoded.length).toBe(FRAME_HEADER_SIZE);
    expect(toHex(encoded)).toBe(toHex(ACK_EMPTY));
  });

  it('encodes the largest kind, session and seq the header can carry', () => {
    expect(toHex(encodeFrame(maxFrame))).toBe(toHex(MAX_FIELDS));
  });

  it('copies a payload that is a view into a larger buffer, not the whole buffer', () => {
    const backing = ascii('xxhixx');
    const encoded = encodeFrame({ ...outputFrame, payload: backing.subarray(2, 4) });
    expect(toHex(encoded)).toBe(toHex(OUTPUT_SESSION_7));
  });

  it('returns a fresh buffer that does not alias the payload', () => {
    const payload = ascii('hi');
    const encoded = encodeFrame({ ...outputFrame, payload });
    payload[0] = 0;
    expect(toHex(encoded)).toBe(toHex(OUTPUT_SESSION_7));
  });

  it.each([
    ['a negative kind', { kind: -1 }, /kind -1/],
    ['a kind above a byte', { kind: 256 }, /kind 256/],
    ['a fractional kind', { kind: 1.5 }, /kind 1.5/],
    ['a negative session', { session: -1 }, /session id -1/],
    ['a session of 2^32', { session: 2 ** 32 }, /session id 4294967296/],
    ['a fractional session', { session: 0.5 }, /session id 0.5/],
    ['a negative seq', { seq: -1 }, /seq -1/],
    ['a fractional seq', { seq: 1.25 }, /seq 1.25/],
    ['a seq of 2^53', { seq: 2 ** 53 }, /seq 9007199254740992/],
    ['a NaN seq', { seq: Number.NaN }, /seq NaN/],
  ])('refuses %s with a FrameError', (_what, override, message) => {
    const bad = { ...controlFrame, ...override };
    expect(() => encodeFrame(bad)).toThrow(FrameError);
    expect(() => encodeFrame(bad)).toThrow(message);
  });
});

describe('encodeFrameHeader', () => {
  it('is encodeFrame without the payload: header then payload are the same bytes', () => {
    const frame: Frame = { kind: FrameKind.Output, session: 7, seq: 2 ** 40 + 3, payload: new TextEncoder().encode('hello') };
    const joined = new Uint8Array([...encodeFrameHeader(frame), ...frame.payload]);
    expect(joined).toEqual(encodeFrame(frame));
    expect(encodeFrameHeader(frame)).toHaveLength(FRAME_HEADER_SIZE);
  });

  it('refuses what encodeFrame refuses', () => {
    expect(() => encodeFrameHeader({ kind: 256, session: 0, seq: 0, payload: new Uint8Array(0) })).toThrow(FrameError);
    expect(() => encodeFrameHeader({ kind: 1, session: 0, seq: -1, payload: new Uint8Array(0) })).toThrow(FrameError);
  });
});

describe('FrameDecoder', () => {
  it('decodes the golden control frame', () => {
    expect(new FrameDecoder().push(CONTROL_EMPTY_OBJECT)).toEqual([frameItem(controlFrame)]);
  });

  it('decodes the golden output frame with its seq above 2^32', () => {
    expect(new FrameDecoder().push(OUTPUT_SESSION_7)).toEqual([frameItem(outputFrame)]);
  });

  it('decodes a frame with an empty payload as soon as its header is complete', () => {
    expect(new FrameDecoder().push(ACK_EMPTY)).toEqual([frameItem(ackFrame)]);
  });

  it('decodes the largest kind, session and seq the header can carry', () => {
    expect(new FrameDecoder().push(MAX_FIELDS)).toEqual([frameItem(maxFrame)]);
  });

  it('decodes several frames from one chunk, in order', () => {
    const stream = concat(CONTROL_EMPTY_OBJECT, OUTPUT_SESSION_7, ACK_EMPTY, MAX_FIELDS);
    expect(new FrameDecoder().push(stream)).toEqual([controlFrame, outputFrame, ackFrame, maxFrame].map(frameItem));
  });

  it('gives each payload its own copy, untouched by later input', () => {
    const decoder = new FrameDecoder();
    const chunk = concat(OUTPUT_SESSION_7);
    const [item] = decoder.push(chunk);
    chunk.fill(0);
    decoder.push(OUTPUT_SESSION_7);
    expect(item).toEqual(frameItem(outputFrame));
  });

  it('returns nothing for an empty chunk', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(new Uint8Array(0))).toEqual([]);
    expect(decoder.idle).toBe(true);
  });

  describe('split writes', () => {
    const frames = [controlFrame, outputFrame, ackFrame, { ...outputFrame, payload: ascii('\u001b[2Jé🙂') }, maxFrame];
    const stream = concat(...frames.map(encodeFrame));
    const expected = frames.map(frameItem);

    it('yields the same frames when the stream is split in two at every byte position', () => {
      for (let cut = 0; cut <= stream.length; cut++) {
        const { items, decoder } = decodeChunks(splitAt(stream, cut));
        expect(items, `cut at ${cut}`).toEqual(expected);
        expect(decoder.idle, `cut at ${cut}`).toBe(true);
      }
    });

    it('yields the same frames when the stream is split in three at every pair of positions', () => {
      for (let a = 0; a <= stream.length; a++) {
        for (let b = a; b <= stream.length; b++) {
          expect(decodeChunks(splitAt(stream, a, b)).items, `cuts at ${a}, ${b}`).toEqual(expected);
        }
      }
    });

    it('yields the same frames when the stream arrives one byte at a time', () => {
      const { items, decoder } = decodeChunks(Array.from(stream, (byte) => new Uint8Array([byte])));
      expect(items).toEqual(expected);
      expect(decoder.idle).toBe(true);
    });

    it('yields the same frames under random chunkings (seeded)', () => {
      for (let seed = 1; seed <= 200; seed++) {
        const random = prng(seed);
        const cuts: number[] = [];
        for (let at = 0; at < stream.length; ) {
          at += Math.floor(random() * 30);
          if (at < stream.length) cuts.push(at);
        }
        expect(decodeChunks(splitAt(stream, ...cuts)).items, `seed ${seed}`).toEqual(expected);
      }
    });

    it('yields a frame only from the push that completes it', () => {
      const decoder = new FrameDecoder();
      expect(decoder.push(OUTPUT_SESSION_7.subarray(0, 21))).toEqual([]);
      expect(decoder.push(OUTPUT_SESSION_7.subarray(21))).toEqual([frameItem(outputFrame)]);
    });
  });

  describe('idle', () => {
    it('is true only between frames', () => {
      const decoder = new FrameDecoder();
      expect(decoder.idle).toBe(true);
      for (let i = 0; i < OUTPUT_SESSION_7.length; i++) {
        decoder.push(OUTPUT_SESSION_7.subarray(i, i + 1));
        expect(decoder.idle, `after byte ${i}`).toBe(i === OUTPUT_SESSION_7.length - 1);
      }
    });

    it('is false while an oversized payload is still being skipped', () => {
      const decoder = new FrameDecoder(1);
      decoder.push(OUTPUT_SESSION_7.subarray(0, 21));
      expect(decoder.idle).toBe(false);
      decoder.push(OUTPUT_SESSION_7.subarray(21));
      expect(decoder.idle).toBe(true);
    });
  });

  describe('oversized frames', () => {
    // Output frame, session 9, seq 300, claiming 6 payload bytes against a limit of 4.
    const OVERSIZE = bytes('56 01 02 00  00000009  000000000000012c  00000006  616263646566');
    const notice: DecodedItem = { type: 'oversize', kind: FrameKind.Output, session: 9, seq: 300, length: 6 };

    it('reports an oversized frame with its header fields and skips its payload', () => {
      const { items, decoder } = decodeChunks([concat(OVERSIZE, CONTROL_EMPTY_OBJECT)], 4);
      expect(items).toEqual([notice, frameItem(controlFrame)]);
      expect(decoder.idle).toBe(true);
    });

    it('accepts a payload of exactly the limit', () => {
      expect(decodeChunks([OUTPUT_SESSION_7], 2).items).toEqual([frameItem(outputFrame)]);
    });

    it('reports the oversized frame as soon as its header is read, before the payload arrives', () => {
      const decoder = new FrameDecoder(4);
      expect(decoder.push(OVERSIZE.subarray(0, FRAME_HEADER_SIZE))).toEqual([notice]);
      expect(decoder.push(OVERSIZE.subarray(FRAME_HEADER_SIZE))).toEqual([]);
    });

    it('skips the payload and decodes the next frame whatever the split', () => {
      const stream = concat(OUTPUT_SESSION_7, OVERSIZE, OVERSIZE, CONTROL_EMPTY_OBJECT);
      const expected = [frameItem(outputFrame), notice, notice, frameItem(controlFrame)];
      for (let cut = 0; cut <= stream.length; cut++) {
        expect(decodeChunks(splitAt(stream, cut), 4).items, `cut at ${cut}`).toEqual(expected);
      }
      expect(decodeChunks(Array.from(stream, (byte) => new Uint8Array([byte])), 4).items).toEqual(expected);
    });

    it('applies the 1 MiB default limit', () => {
      const header = bytes('56 01 02 00  00000001  0000000000000000  00100001');
      expect(new FrameDecoder().push(header)).toEqual([{ type: 'oversize', kind: 2, session: 1, seq: 0, length: 1024 * 1024 + 1 }]);
    });
  });

  describe('framing errors', () => {
    it('throws a FrameError naming a bad magic byte', () => {
      const decoder = new FrameDecoder();
      const bad = concat(CONTROL_EMPTY_OBJECT);
      bad[0] = 0x57;
      expect(() => decoder.push(bad)).toThrow(new FrameError('bad frame magic 0x57'));
    });

    it('throws a FrameError naming an unsupported version', () => {
      const bad = concat(CONTROL_EMPTY_OBJECT);
      bad[1] = 0x02;
      expect(() => new FrameDecoder().push(bad)).toThrow(new FrameError('unsupported frame version 2'));
    });

    it('keeps throwing after a framing error, even for good input', () => {
      const decoder = new FrameDecoder();
      expect(() => decoder.push(bytes('00'.repeat(FRAME_HEADER_SIZE)))).toThrow(FrameError);
      expect(() => decoder.push(CONTROL_EMPTY_OBJECT)).toThrow(/bad frame magic 0x00/);
      expect(() => decoder.push(new Uint8Array(0))).toThrow(FrameError);
    });

    it('refuses a foreign stream at its first byte, without waiting for a whole header', () => {
      const decoder = new FrameDecoder();
      expect(() => decoder.push(bytes('7b'))).toThrow(/bad frame magic 0x7b/);
    });

    it('refuses a bad magic at the start of a frame split after good ones', () => {
      const decoder = new FrameDecoder();
      expect(decoder.push(concat(CONTROL_EMPTY_OBJECT, OUTPUT_SESSION_7.subarray(0, 5)))).toEqual([frameItem(controlFrame)]);
      expect(decoder.push(OUTPUT_SESSION_7.subarray(5))).toEqual([frameItem(outputFrame)]);
      expect(() => decoder.push(bytes('ff'))).toThrow(/bad frame magic 0xff/);
    });

    it('throws on a frame following good ones in the same chunk', () => {
      const decoder = new FrameDecoder();
      expect(() => decoder.push(concat(CONTROL_EMPTY_OBJECT, bytes('00'.repeat(FRAME_HEADER_SIZE))))).toThrow(FrameError);
    });

    it('refuses a seq of 2^53 on decode', () => {
      const header = bytes('56 01 02 00  00000001  0020000000000000  00000000');
      expect(() => new FrameDecoder().push(header)).toThrow(new FrameError('frame seq exceeds 2^53'));
    });

    it('refuses the largest u64 seq on decode', () => {
      const header = bytes('56 01 02 00  00000001  ffffffffffffffff  00000000');
      expect(() => new FrameDecoder().push(header)).toThrow(FrameError);
    });
  });
});

describe('control payloads', () => {
  it('encodes a control message as a control frame on session 0, seq 0', () => {
    expect(toHex(encodeControl({}))).toBe(toHex(CONTROL_EMPTY_OBJECT));
  });

  it('round-trips a message with non-ASCII text through encode and decode', () => {
    const message = { type: 'request', id: 1, params: { title: 'Ünïcödé ✓ 🙂 עברית \u202e \u0000 "quoted" \\' } };
    const [item] = new FrameDecoder().push(encodeControl(message));
    if (item?.type !== 'frame') throw new Error('expected a frame');
    expect(item.frame.kind).toBe(FrameKind.Control);
    expect(decodeControlPayload(item.frame.payload)).toEqual(message);
  });

  it('writes non-ASCII text as UTF-8 bytes', () => {
    const encoded = encodeControl('é');
    expect(toHex(encoded.subarray(16))).toBe(toHex(bytes('00000004  22c3a922')));
  });

  it('throws on invalid UTF-8 rather than substituting replacement characters', () => {
    expect(() => decodeControlPayload(bytes('22 c3 22'))).toThrow(TypeError);
    expect(() => decodeControlPayload(bytes('22 ff 22'))).toThrow(TypeError);
  });

  it('throws a SyntaxError on bytes that are UTF-8 but not JSON', () => {
    expect(() => decodeControlPayload(ascii('{"a":'))).toThrow(SyntaxError);
    expect(() => decodeControlPayload(new Uint8Array(0))).toThrow(SyntaxError);
  });
});
