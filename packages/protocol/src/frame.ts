// The binary frame codec: every byte between vibe peers travels in these frames, JSON and terminal data alike.
//
// Layout (big-endian), 20-byte header then payload:
//   0  magic   u8   0x56 ('V')
//   1  version u8   0x01
//   2  kind    u8   see FrameKind
//   3  flags   u8   reserved, 0
//   4  session u32  session id (0 for control frames)
//   8  seq     u64  byte offset / sequence number (< 2^53)
//  16  length  u32  payload length
//  20  payload

export const FRAME_MAGIC = 0x56;
export const FRAME_VERSION = 0x01;
export const FRAME_HEADER_SIZE = 20;
/** Default largest payload a decoder accepts; larger frames are skipped and reported. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

export const FrameKind = {
  /** A UTF-8 JSON control message: hello, welcome, request, response, event. */
  Control: 0x01,
  /** Terminal output, daemon to client; seq is the byte offset of the payload's first byte. */
  Output: 0x02,
  /** Terminal input, client to daemon. */
  Input: 0x03,
  /** A screen snapshot; seq is the offset at which live output resumes. */
  Snapshot: 0x04,
  /** Client acknowledges output up to seq (flow control). */
  Ack: 0x05,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export interface Frame {
  kind: number;
  session: number;
  seq: number;
  payload: Uint8Array;
}

/** What the decoder yields: a whole frame, or notice that an oversized frame was skipped. */
export type DecodedItem =
  | { type: 'frame'; frame: Frame }
  | { type: 'oversize'; kind: number; session: number; seq: number; length: number };

export class FrameError extends Error {
  override readonly name = 'FrameError';
  /** Whole frames decoded from the same chunk before the bad bytes; a receiver should still act on them. */
  decoded: DecodedItem[] = [];
}

const TWO_32 = 2 ** 32;

/** Encodes one frame. Pure: returns a fresh buffer holding header and payload. */
export function encodeFrame(frame: Frame): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_SIZE + frame.payload.length);
  writeFrameHeader(out, frame);
  out.set(frame.payload, FRAME_HEADER_SIZE);
  return out;
}

/**
 * Encodes one frame's header alone, for a writer that sends header and payload as two pieces of one write
 * (the daemon seals them into one record without first joining them).
 */
export function encodeFrameHeader(frame: Frame): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_SIZE);
  writeFrameHeader(out, frame);
  return out;
}

function writeFrameHeader(out: Uint8Array, frame: Frame): void {
  const { kind, session, seq, payload } = frame;
  if (!Number.isInteger(kind) || kind < 0 || kind > 0xff) throw new FrameError(`frame kind ${kind} is not a byte`);
  if (!Number.isInteger(session) || session < 0 || session >= TWO_32) throw new FrameError(`session id ${session} is not a u32`);
  if (!Number.isSafeInteger(seq) || seq < 0) throw new FrameError(`seq ${seq} is not a safe non-negative integer`);
  const view = new DataView(out.buffer, out.byteOffset, FRAME_HEADER_SIZE);
  out[0] = FRAME_MAGIC;
  out[1] = FRAME_VERSION;
  out[2] = kind;
  out[3] = 0;
  view.setUint32(4, session);
  view.setUint32(8, Math.floor(seq / TWO_32));
  view.setUint32(12, seq % TWO_32);
  view.setUint32(16, payload.length);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeControl(message: unknown): Uint8Array {
  return encodeFrame({ kind: FrameKind.Control, session: 0, seq: 0, payload: encoder.encode(JSON.stringify(message)) });
}

/** Decodes a control payload as UTF-8 JSON; throws SyntaxError or TypeError on bad bytes. */
export function decodeControlPayload(payload: Uint8Array): unknown {
  return JSON.parse(decoder.decode(payload));
}

/**
 * A resumable frame decoder: push chunks split anywhere, get whole frames back in order.
 * Header bytes are gathered in a fixed buffer; payloads are copied once into their own array.
 * A bad magic or version byte is a framing error (the stream cannot be resynchronised): `push` throws
 * FrameError and the decoder refuses further input. An oversized payload is skipped byte for byte and
 * reported, so the connection can answer with an error and carry on.
 */
export class FrameDecoder {
  private readonly header = new Uint8Array(FRAME_HEADER_SIZE);
  private readonly headerView = new DataView(this.header.buffer);
  private headerFilled = 0;
  private payload: Uint8Array | undefined;
  private payloadFilled = 0;
  private skipRemaining = 0;
  private current: Omit<Frame, 'payload'> = { kind: 0, session: 0, seq: 0 };
  private failed: FrameError | undefined;

  constructor(readonly maxPayload: number = DEFAULT_MAX_PAYLOAD) {}

  push(chunk: Uint8Array): DecodedItem[] {
    if (this.failed) throw this.failed;
    const items: DecodedItem[] = [];
    try {
      this.decodeInto(chunk, items);
    } catch (error) {
      if (error instanceof FrameError) error.decoded = items;
      throw error;
    }
    return items;
  }

  private decodeInto(chunk: Uint8Array, items: DecodedItem[]): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.skipRemaining > 0) {
        const n = Math.min(this.skipRemaining, chunk.length - offset);
        this.skipRemaining -= n;
        offset += n;
        continue;
      }
      if (this.payload) {
        const n = Math.min(this.payload.length - this.payloadFilled, chunk.length - offset);
        this.payload.set(chunk.subarray(offset, offset + n), this.payloadFilled);
        this.payloadFilled += n;
        offset += n;
        if (this.payloadFilled === this.payload.length) {
          items.push({ type: 'frame', frame: { ...this.current, payload: this.payload } });
          this.payload = undefined;
        }
        continue;
      }
      const n = Math.min(FRAME_HEADER_SIZE - this.headerFilled, chunk.length - offset);
      this.header.set(chunk.subarray(offset, offset + n), this.headerFilled);
      this.headerFilled += n;
      offset += n;
      // Refuse a foreign stream at its first byte rather than waiting for a whole header that may never come.
      if (this.header[0] !== FRAME_MAGIC) this.fail(`bad frame magic 0x${hex(this.header[0]!)}`);
      if (this.headerFilled < FRAME_HEADER_SIZE) break;
      this.headerFilled = 0;
      const item = this.startFrame();
      if (item) items.push(item);
    }
  }

  /** True when no partial frame is buffered (a clean place for the stream to end). */
  get idle(): boolean {
    return this.headerFilled === 0 && this.payload === undefined && this.skipRemaining === 0;
  }

  private startFrame(): DecodedItem | undefined {
    const h = this.header;
    if (h[0] !== FRAME_MAGIC) return this.fail(`bad frame magic 0x${hex(h[0]!)}`);
    if (h[1] !== FRAME_VERSION) return this.fail(`unsupported frame version ${h[1]!}`);
    const kind = h[2]!;
    const session = this.headerView.getUint32(4);
    const seqHigh = this.headerView.getUint32(8);
    if (seqHigh >= 2 ** 21) return this.fail('frame seq exceeds 2^53');
    const seq = seqHigh * TWO_32 + this.headerView.getUint32(12);
    const length = this.headerView.getUint32(16);
    if (length > this.maxPayload) {
      this.skipRemaining = length;
      return { type: 'oversize', kind, session, seq, length };
    }
    this.current = { kind, session, seq };
    if (length === 0) return { type: 'frame', frame: { kind, session, seq, payload: new Uint8Array(0) } };
    this.payload = new Uint8Array(length);
    this.payloadFilled = 0;
    return undefined;
  }

  private fail(message: string): never {
    this.failed = new FrameError(message);
    throw this.failed;
  }
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
