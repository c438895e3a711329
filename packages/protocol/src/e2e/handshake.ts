// The per-connection handshake between a client holding a link and the daemon: an ephemeral X25519 exchange,
// authenticated on the client's side by the link secret and on the daemon's by its Ed25519 identity, which
// the link pins. The relay in between forwards these bytes and can neither read nor forge them.
//
//   ClientHello  [0x01][0x01][linkId 8][eC 32][mac 32]   mac = HMAC-SHA256(authKey(S), "vibe-e2e-v1 hello" ‖ linkId ‖ eC)
//   ServerHello  [0x02][0x01][eD 32][pkD 32][sig 64]     sig = Ed25519(skD, "vibe-e2e-v1 server" ‖ linkId ‖ eC ‖ eD)
//   keys = HKDF-SHA256(ikm X25519(eC, eD), salt S, info "vibe-e2e-v1 keys" ‖ linkId ‖ eC ‖ eD) → client→daemon ‖ daemon→client
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes, fromBase64Url, randomBytes, toBase64Url, utf8Bytes } from './bytes.js';
import { daemonIdFor } from './identity.js';
import { LINK_ID_BYTES, type ParsedLink } from './link.js';

export const E2E_VERSION = 0x01;
export const E2eMessage = { ClientHello: 0x01, ServerHello: 0x02, Record: 0x03 } as const;

export const CLIENT_HELLO_BYTES = 2 + LINK_ID_BYTES + 32 + 32;
export const SERVER_HELLO_BYTES = 2 + 32 + 32 + 64;

/** Close codes the daemon sends through the relay when a client's handshake or a record fails. */
export const E2E_CLOSE = { unauthorized: 4401, revoked: 4403, timeout: 4408 } as const;

export type E2eFailure = 'malformed' | 'unauthorized' | 'revoked' | 'wrong-daemon';

/** A failed handshake or record. `closeCode` is what the daemon closes the client's connection with. */
export class E2eError extends Error {
  override readonly name = 'E2eError';
  constructor(
    readonly kind: E2eFailure,
    message: string,
  ) {
    super(message);
  }

  get closeCode(): number {
    return this.kind === 'revoked' ? E2E_CLOSE.revoked : E2E_CLOSE.unauthorized;
  }
}

/** The two directions' keys, from the point of view of whoever holds them. */
export interface SessionKeys {
  send: Uint8Array;
  receive: Uint8Array;
}

/** The daemon's long-term key pair; `secretKey` is the 32-byte Ed25519 seed. */
export interface Identity {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

const HELLO_LABEL = utf8Bytes('vibe-e2e-v1 hello');
const SERVER_LABEL = utf8Bytes('vibe-e2e-v1 server');
const KEYS_LABEL = utf8Bytes('vibe-e2e-v1 keys');
const AUTH_LABEL = utf8Bytes('vibe-e2e-v1 auth');

function authKey(secret: Uint8Array): Uint8Array {
  return hkdf(sha256, secret, undefined, AUTH_LABEL, 32);
}

function deriveKeys(shared: Uint8Array, secret: Uint8Array, linkId: Uint8Array, eC: Uint8Array, eD: Uint8Array): { c2d: Uint8Array; d2c: Uint8Array } {
  const okm = hkdf(sha256, shared, secret, concatBytes(KEYS_LABEL, linkId, eC, eD), 64);
  return { c2d: okm.slice(0, 32), d2c: okm.slice(32, 64) };
}

/** The client's half: sends `hello`, then `finish` checks the daemon's answer and yields the keys. */
export class ClientHandshake {
  readonly hello: Uint8Array;
  private readonly ephemeral = x25519.utils.randomSecretKey();
  private readonly eC = x25519.getPublicKey(this.ephemeral);
  private readonly linkIdBytes: Uint8Array;

  constructor(private readonly link: ParsedLink) {
    this.linkIdBytes = fromBase64Url(link.linkId)!;
    const mac = hmac(sha256, authKey(link.secret), concatBytes(HELLO_LABEL, this.linkIdBytes, this.eC));
    this.hello = concatBytes(Uint8Array.of(E2eMessage.ClientHello, E2E_VERSION), this.linkIdBytes, this.eC, mac);
  }

  finish(message: Uint8Array): SessionKeys {
    if (message.length !== SERVER_HELLO_BYTES || message[0] !== E2eMessage.ServerHello || message[1] !== E2E_VERSION) {
      throw new E2eError('malformed', 'the daemon answered the handshake with something that is not a vibe server hello');
    }
    const eD = message.subarray(2, 34);
    const pkD = message.subarray(34, 66);
    const sig = message.subarray(66, 130);
    if (daemonIdFor(pkD) !== this.link.daemonId) {
      throw new E2eError('wrong-daemon', 'this is not the daemon the link was made for: its key does not match the one the link pins');
    }
    let valid: boolean;
    try {
      valid = ed25519.verify(sig, concatBytes(SERVER_LABEL, this.linkIdBytes, this.eC, eD), pkD);
    } catch {
      valid = false;
    }
    if (!valid) throw new E2eError('wrong-daemon', "the daemon's handshake signature does not verify: something between you and the daemon is not what the link trusts");
    const shared = sharedSecret(this.ephemeral, eD);
    const { c2d, d2c } = deriveKeys(shared, this.link.secret, this.linkIdBytes, this.eC, eD);
    return { send: c2d, receive: d2c };
  }
}

/** What a daemon knows of a link id: its secret, or that it was revoked, or nothing. */
export type LinkLookup = (linkId: string) => { secret: Uint8Array } | 'revoked' | undefined;

export interface AcceptedHello {
  linkId: string;
  /** Send this back to the client. */
  reply: Uint8Array;
  keys: SessionKeys;
}

/** The daemon's half: checks a ClientHello against its links and answers it. Throws E2eError. */
export function acceptClientHello(message: Uint8Array, lookup: LinkLookup, identity: Identity): AcceptedHello {
  if (message.length !== CLIENT_HELLO_BYTES || message[0] !== E2eMessage.ClientHello) {
    throw new E2eError('malformed', 'the first message is not a vibe client hello');
  }
  if (message[1] !== E2E_VERSION) throw new E2eError('malformed', `client hello version ${message[1]} is not ${E2E_VERSION}`);
  const linkIdBytes = message.subarray(2, 2 + LINK_ID_BYTES);
  const eC = message.subarray(2 + LINK_ID_BYTES, 2 + LINK_ID_BYTES + 32);
  const mac = message.subarray(2 + LINK_ID_BYTES + 32);
  const linkId = toBase64Url(linkIdBytes);
  const known = lookup(linkId);
  if (known === 'revoked') throw new E2eError('revoked', `link ${linkId} was revoked`);
  if (!known) throw new E2eError('revoked', `no link ${linkId}`);
  const expected = hmac(sha256, authKey(known.secret), concatBytes(HELLO_LABEL, linkIdBytes, eC));
  if (!equalBytes(mac, expected)) throw new E2eError('unauthorized', `wrong secret for link ${linkId}`);
  const ephemeral = x25519.utils.randomSecretKey();
  const eD = x25519.getPublicKey(ephemeral);
  const shared = sharedSecret(ephemeral, eC);
  const sig = ed25519.sign(concatBytes(SERVER_LABEL, linkIdBytes, eC, eD), identity.secretKey);
  const { c2d, d2c } = deriveKeys(shared, known.secret, linkIdBytes, eC, eD);
  return {
    linkId,
    reply: concatBytes(Uint8Array.of(E2eMessage.ServerHello, E2E_VERSION), eD, identity.publicKey, sig),
    keys: { send: d2c, receive: c2d },
  };
}

function sharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  try {
    // noble refuses low-order points (an all-zero shared secret), which a tampering relay could send.
    return x25519.getSharedSecret(secretKey, publicKey);
  } catch {
    throw new E2eError('malformed', 'the peer sent an invalid ephemeral key');
  }
}

/** A new daemon identity (tests; the daemon keeps its own in the keychain). */
export function generateIdentity(): Identity {
  const secretKey = randomBytes(32);
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

/** The public key for a stored 32-byte seed. */
export function identityFromSeed(secretKey: Uint8Array): Identity {
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}
