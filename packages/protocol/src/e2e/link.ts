// The link a user opens or passes to `vibe --link`: the relay's address, and in the fragment the daemon's id,
// the link's id and its secret. Browsers never send a fragment to a server, so the relay never sees the secret.
import { ProtocolError } from '../errors.js';
import { fromBase64Url, toBase64Url } from './bytes.js';

export interface ParsedLink {
  /** The relay's base URL, http(s), without fragment, query or trailing slash. */
  relayUrl: string;
  /** base64url of the first 16 bytes of SHA-256 of the daemon's Ed25519 public key: the link pins the key. */
  daemonId: string;
  /** base64url of 8 random bytes; names the link to the daemon in the clear. */
  linkId: string;
  /** The link's 32-byte secret. */
  secret: Uint8Array;
}

export const LINK_VERSION = 'v1';
export const DAEMON_ID_LENGTH = 22;
export const LINK_ID_BYTES = 8;
export const LINK_SECRET_BYTES = 32;

const ID = /^[A-Za-z0-9_-]+$/;

/** The relay base URL in its one canonical form: http(s), no credentials, query, fragment or trailing slash. */
export function normalizeRelayUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ProtocolError('invalid_params', `"${input}" is not a URL; a relay is an http:// or https:// address`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProtocolError('invalid_params', `a relay is an http:// or https:// address, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new ProtocolError('invalid_params', 'a relay address must not carry a user name or password');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

export function formatLink(link: ParsedLink): string {
  return `${normalizeRelayUrl(link.relayUrl)}/#${LINK_VERSION}.${link.daemonId}.${link.linkId}.${toBase64Url(link.secret)}`;
}

/** Reads a link; anything else is `invalid_params` with a sentence a user can act on. */
export function parseLink(input: string): ParsedLink {
  const hash = input.indexOf('#');
  const bad = (why: string): never => {
    throw new ProtocolError('invalid_params', `not a vibe link: ${why}; copy the whole link \`vibe connect\` printed`);
  };
  if (hash < 0) return bad('it has no #… part');
  const relayUrl = normalizeRelayUrl(input.slice(0, hash));
  const parts = input.slice(hash + 1).split('.');
  if (parts[0] !== LINK_VERSION) return bad(parts.length === 4 ? `link version ${parts[0]} is not one this vibe reads (${LINK_VERSION})` : 'the part after # is malformed');
  if (parts.length !== 4) return bad('the part after # is malformed');
  const [, daemonId, linkId, secretText] = parts as [string, string, string, string];
  if (daemonId.length !== DAEMON_ID_LENGTH || !ID.test(daemonId) || fromBase64Url(daemonId)?.length !== 16) return bad('the daemon id is malformed');
  if (fromBase64Url(linkId)?.length !== LINK_ID_BYTES) return bad('the link id is malformed');
  const secret = fromBase64Url(secretText);
  if (secret?.length !== LINK_SECRET_BYTES) return bad('the secret is malformed (truncated?)');
  return { relayUrl, daemonId, linkId, secret };
}

/** The relay's WebSocket endpoint for a daemon, or for a client of the daemon `daemonId`. */
export function relaySocketUrl(relayUrl: string, role: 'daemon' | { daemonId: string }): string {
  const base = normalizeRelayUrl(relayUrl).replace(/^http/, 'ws');
  return role === 'daemon' ? `${base}/v1/daemon` : `${base}/v1/client?daemon=${encodeURIComponent(role.daemonId)}`;
}
