// The text messages of a daemon's registration with a relay, their hand-written validator and the bytes the
// daemon signs (the id its key earns is daemonIdFor in e2e/identity.ts). No zod here: the relay parses these per connection and ships no schemas.
import { fromBase64Url } from '../e2e/bytes.js';
import { DAEMON_ID_LENGTH } from '../e2e/link.js';

export const RELAY_PROTOCOL = 1;
export const RELAY_NONCE_BYTES = 32;
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
/** Longest relay instance id accepted in a challenge; ids are base64url-alphabet strings. */
export const RELAY_INSTANCE_ID_MAX = 64;
/** Longest text message either side sends during registration; anything longer is malformed. */
export const RELAY_REGISTER_MAX_TEXT = 1024;

/** Relay → daemon, at once. */
export interface RelayChallenge {
  type: 'challenge';
  protocol: typeof RELAY_PROTOCOL;
  relay: string;
  nonce: string;
}

/** Daemon → relay: its key and a signature over registerTranscript(nonce, relay). */
export interface RelayRegister {
  type: 'register';
  publicKey: string;
  signature: string;
}

/** Relay → daemon: the key checked out; binary relay messages follow. */
export interface RelayRegistered {
  type: 'registered';
  daemonId: string;
}

export type RelayTextMessage = RelayChallenge | RelayRegister | RelayRegistered;

export class RelayMessageError extends Error {
  override readonly name = 'RelayMessageError';
}

const INSTANCE_ID = /^[A-Za-z0-9_-]+$/;

export function isRelayInstanceId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= RELAY_INSTANCE_ID_MAX && INSTANCE_ID.test(value);
}

/** A daemon id: base64url of 16 bytes (daemonIdFor), 22 characters. */
export function isDaemonId(value: unknown): value is string {
  return isBase64urlOfLength(value, 16) && value.length === DAEMON_ID_LENGTH;
}

/** True when `text` is unpadded base64url of exactly `length` bytes (one spelling per byte string). */
export function isBase64urlOfLength(text: unknown, length: number): text is string {
  return typeof text === 'string' && text.length === Math.ceil((length * 4) / 3) && fromBase64Url(text)?.length === length;
}

/**
 * Parses one registration text message and checks every field: key, nonce and signature lengths, the id's
 * spelling. Unknown extra fields are ignored (a newer peer may add some). Throws RelayMessageError.
 */
export function parseRelayTextMessage(text: string): RelayTextMessage {
  if (text.length > RELAY_REGISTER_MAX_TEXT) throw new RelayMessageError(`message of ${text.length} characters is too long`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RelayMessageError('message is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RelayMessageError('message is not a JSON object');
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'challenge':
      if (m.protocol !== RELAY_PROTOCOL) throw new RelayMessageError(`unsupported relay protocol ${JSON.stringify(m.protocol)}`);
      if (!isRelayInstanceId(m.relay)) throw new RelayMessageError('challenge.relay is not a relay instance id');
      if (!isBase64urlOfLength(m.nonce, RELAY_NONCE_BYTES)) throw new RelayMessageError('challenge.nonce is not base64url of 32 bytes');
      return { type: 'challenge', protocol: RELAY_PROTOCOL, relay: m.relay, nonce: m.nonce };
    case 'register':
      if (!isBase64urlOfLength(m.publicKey, ED25519_PUBLIC_KEY_BYTES)) throw new RelayMessageError('register.publicKey is not base64url of 32 bytes');
      if (!isBase64urlOfLength(m.signature, ED25519_SIGNATURE_BYTES)) throw new RelayMessageError('register.signature is not base64url of 64 bytes');
      return { type: 'register', publicKey: m.publicKey, signature: m.signature };
    case 'registered':
      if (!isDaemonId(m.daemonId)) throw new RelayMessageError('registered.daemonId is not a daemon id');
      return { type: 'registered', daemonId: m.daemonId };
    default:
      throw new RelayMessageError(`unknown message type ${JSON.stringify(m.type)}`);
  }
}

const encoder = new TextEncoder();
const TRANSCRIPT_LABEL = encoder.encode('vibe-relay-register-v1\n');

/** What the daemon signs: utf8("vibe-relay-register-v1\n") || nonce (32 raw bytes) || utf8(relay instance id). */
export function registerTranscript(nonce: Uint8Array, relayInstanceId: string): Uint8Array {
  if (nonce.length !== RELAY_NONCE_BYTES) throw new RelayMessageError(`nonce is ${nonce.length} bytes, not ${RELAY_NONCE_BYTES}`);
  const id = encoder.encode(relayInstanceId);
  const out = new Uint8Array(TRANSCRIPT_LABEL.length + nonce.length + id.length);
  out.set(TRANSCRIPT_LABEL, 0);
  out.set(nonce, TRANSCRIPT_LABEL.length);
  out.set(id, TRANSCRIPT_LABEL.length + nonce.length);
  return out;
}
