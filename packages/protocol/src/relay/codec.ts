// The binary messages between a daemon and its relay: which client connection a chunk of ciphertext belongs to.
//
// Layout (big-endian), 5-byte header then payload:
//   0  op    u8   see RelayOp
//   1  conn  u32  the relay's id for one client connection of this daemon
//   5  payload    DATA: opaque bytes (one client WebSocket message); CLOSE from the daemon: [code u16][reason]
//
// One WebSocket message is one relay message, so unlike the vibe frame codec there is no stream to resume.

export const RelayOp = {
  /** Relay → daemon: client `conn` connected. Empty payload. */
  Open: 0x01,
  /** Both ways: bytes from / for client `conn`. */
  Data: 0x02,
  /** Relay → daemon: client `conn` is gone (empty payload). Daemon → relay: close it with [code][reason]. */
  Close: 0x03,
} as const;
export type RelayOp = (typeof RelayOp)[keyof typeof RelayOp];

export const RELAY_HEADER_SIZE = 5;
/** Longest close reason a daemon may send, in UTF-8 bytes (WebSocket allows 123; a margin for proxies). */
export const RELAY_CLOSE_REASON_MAX = 120;
/** Default largest client message; daemon messages may be RELAY_HEADER_SIZE bytes longer. */
export const RELAY_MAX_MESSAGE = 1024 * 1024;

/** Close codes every relay part uses (relay-spec "Close codes"). */
export const RELAY_CLOSE = {
  tooBig: 1009,
  restarting: 1012,
  badRequest: 4400,
  unauthorized: 4401,
  revoked: 4403,
  unknownDaemon: 4404,
  timeout: 4408,
  replaced: 4409,
  tooMany: 4429,
  daemonGone: 4503,
  slowConsumer: 4508,
} as const;
export type RelayCloseCode = (typeof RELAY_CLOSE)[keyof typeof RELAY_CLOSE];

export interface RelayMessage {
  op: number;
  conn: number;
  payload: Uint8Array;
}

export class RelayCodecError extends Error {
  override readonly name = 'RelayCodecError';
}

const TWO_32 = 2 ** 32;

/** Encodes one message. Pure: returns a fresh buffer holding header and payload. */
export function encodeRelayMessage(message: RelayMessage): Uint8Array {
  const out = new Uint8Array(RELAY_HEADER_SIZE + message.payload.length);
  writeRelayHeader(out, message.op, message.conn);
  out.set(message.payload, RELAY_HEADER_SIZE);
  return out;
}

/**
 * Fills in the header of a message whose payload was written after RELAY_HEADER_SIZE bytes left free
 * (`RecordCipher.seal`'s headroom): the same bytes as encodeRelayMessage, with no copy of the payload.
 */
export function writeRelayHeader(out: Uint8Array, op: number, conn: number): Uint8Array {
  if (!Number.isInteger(op) || op < 0 || op > 0xff) throw new RelayCodecError(`relay op ${op} is not a byte`);
  if (!Number.isInteger(conn) || conn < 0 || conn >= TWO_32) throw new RelayCodecError(`conn id ${conn} is not a u32`);
  if (out.length < RELAY_HEADER_SIZE) throw new RelayCodecError(`relay message of ${out.length} bytes is shorter than its header`);
  out[0] = op;
  new DataView(out.buffer, out.byteOffset, RELAY_HEADER_SIZE).setUint32(1, conn);
  return out;
}

/**
 * Decodes one message. The payload is a view into `bytes`, not a copy (the relay forwards it as is).
 * Any op is returned: what an unknown op means is the receiver's call. Throws RelayCodecError under 5 bytes.
 */
export function decodeRelayMessage(bytes: Uint8Array): RelayMessage {
  if (bytes.length < RELAY_HEADER_SIZE) throw new RelayCodecError(`relay message of ${bytes.length} bytes is shorter than its header`);
  const conn = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
  return { op: bytes[0]!, conn, payload: bytes.subarray(RELAY_HEADER_SIZE) };
}

const encoder = new TextEncoder();
const lenientDecoder = new TextDecoder('utf-8');

/** A CLOSE payload from the daemon: `[code u16][reason utf8]`, the reason cut to RELAY_CLOSE_REASON_MAX bytes. */
export function encodeClosePayload(code: number, reason = ''): Uint8Array {
  if (!Number.isInteger(code) || code < 0 || code > 0xffff) throw new RelayCodecError(`close code ${code} is not a u16`);
  const text = truncateUtf8(reason, RELAY_CLOSE_REASON_MAX);
  const out = new Uint8Array(2 + text.length);
  new DataView(out.buffer).setUint16(0, code);
  out.set(text, 2);
  return out;
}

/**
 * Reads a CLOSE payload. Never throws on content: an empty payload is code 1000, bad UTF-8 becomes U+FFFD and
 * an over-long reason is cut, because the relay must turn whatever the daemon sent into a valid close frame.
 */
export function decodeClosePayload(payload: Uint8Array): { code: number; reason: string } {
  if (payload.length < 2) return { code: 1000, reason: '' };
  const code = (payload[0]! << 8) | payload[1]!;
  const reason = lenientDecoder.decode(truncateUtf8(lenientDecoder.decode(payload.subarray(2)), RELAY_CLOSE_REASON_MAX));
  return { code, reason };
}

/** True for a code a WebSocket endpoint may send in a close frame (RFC 6455 §7.4, as ws checks it). */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** UTF-8 of `text`, cut at a character boundary to at most `max` bytes. */
function truncateUtf8(text: string, max: number): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.length <= max) return bytes;
  let end = max;
  // Back up over continuation bytes (10xxxxxx) so the cut never splits a character.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
