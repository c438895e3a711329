// What a relay can be told: where to listen, TLS, Redis, and every bound it enforces, with the defaults of the
// relay contract (docs/protocol.md §11).
import { RELAY_MAX_MESSAGE } from '@vibe/protocol';
import type { RelayLogger } from './logger.js';

export interface RelayLimits {
  /** Largest client message in bytes; daemon messages may be 5 bytes longer (the routing header). Over it: 1009. */
  maxMessageBytes: number;
  /** Bytes that may wait to be sent to one client before it is dropped as a slow consumer (4508). */
  clientWindowBytes: number;
  /** Bytes that may wait to be sent to a daemon before its local clients stop being read from. */
  daemonWindowBytes: number;
  /** Live clients per daemon, across relays (4429). */
  maxClientsPerDaemon: number;
  /** WebSocket handshakes per second per remote address (HTTP 429 past the burst). */
  handshakeRate: number;
  handshakeBurst: number;
  /** Ping interval; a peer that has not answered the previous ping is terminated. */
  heartbeatMs: number;
  /** A daemon must have registered this long after its upgrade (4408). */
  registerTimeoutMs: number;
  /** A client with no message either way and no ping from it for this long is closed (4408). */
  idleTimeoutMs: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
  maxMessageBytes: RELAY_MAX_MESSAGE,
  clientWindowBytes: 1024 * 1024,
  daemonWindowBytes: 8 * 1024 * 1024,
  maxClientsPerDaemon: 256,
  handshakeRate: 20,
  handshakeBurst: 40,
  heartbeatMs: 15_000,
  registerTimeoutMs: 10_000,
  idleTimeoutMs: 10 * 60_000,
};

export interface RelayOptions {
  /** Bind address; default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** `redis://…`: share routing with every relay on the same Redis. */
  redisUrl?: string;
  /** PEM certificate chain and key: serve https and wss. */
  tlsCert?: string | Buffer;
  tlsKey?: string | Buffer;
  limits?: Partial<RelayLimits>;
  /** Take the client address from the last X-Forwarded-For entry (behind a reverse proxy you run). */
  trustProxy?: boolean;
  logger?: RelayLogger;
  /** The built web view to serve; default the one beside this module; null serves none. */
  webDir?: URL | null;
  /** Fixed instance id (tests); default random. */
  instanceId?: string;
}

/** Merges `limits` over the defaults and refuses a bound that is not a positive number. */
export function resolveLimits(limits: Partial<RelayLimits> = {}): RelayLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(limits) as Array<[keyof RelayLimits, number | undefined]>) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_LIMITS)) throw new RangeError(`unknown relay limit ${key}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`relay limit ${key} must be a positive number, not ${value}`);
    out[key] = value;
  }
  return out;
}
