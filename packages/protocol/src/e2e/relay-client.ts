// A ControlClient that reaches the daemon through a relay: one WebSocket, the E2E handshake, then the same
// frames the unix socket carries, sealed in records, with a heartbeat where the socket can ping.
// Runtime-neutral: Node passes the `ws` package's WebSocket, a browser its own.
import { ControlClient, type ClientOptions } from '../client.js';
import { ProtocolError } from '../errors.js';
import type { Welcome } from '../messages/envelope.js';
import { nobleAead, type AeadFactory } from './aead.js';
import { E2eError, ClientHandshake } from './handshake.js';
import { pingingSocket, startHeartbeat, type Heartbeat } from './heartbeat.js';
import { parseLink, relaySocketUrl, type ParsedLink } from './link.js';
import { AsyncRecordCipher, RecordCipher } from './records.js';
import type { AsyncAeadFactory } from './webcrypto-aead.js';

/** The part of the WebSocket API (browser and `ws` alike) this client uses. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface RelayConnectOptions extends ClientOptions {
  WebSocket: WebSocketConstructor;
  /** AES-256-GCM implementation; Node passes `nodeAead` from `@vibe/protocol/node`. */
  aead?: AeadFactory;
  /**
   * An asynchronous AES-256-GCM (a browser passes `webCryptoAead(crypto.subtle)` where it has one); used in
   * place of `aead` when given. Records still open and go out strictly in order.
   */
  asyncAead?: AsyncAeadFactory;
  timeoutMs?: number;
  /** `arraybuffer` (browsers) or `nodebuffer` (the ws package, which saves a copy per message). */
  binaryType?: string;
  /**
   * Where the WebSocket can ping (the ws package; a browser's cannot): ping the relay this often, which keeps
   * a quiet connection from idling out at the relay, and end the connection with a retryable error when a
   * ping goes unanswered (no pong, no message) until the next. Default 15 s, well inside the relay's idle
   * timeout and a proxy's read timeout; 0 turns it off.
   */
  heartbeatMs?: number;
}

/** How often a client pings the relay, unless told otherwise. */
export const RELAY_CLIENT_HEARTBEAT_MS = 15_000;

export interface RelayConnection {
  client: ControlClient;
  welcome: Welcome;
  link: ParsedLink;
}

/** Relay close codes a client can meet, in words a user can act on. */
export const RELAY_CLOSE_REASONS: Record<number, string> = {
  1009: 'a message was too large for the relay',
  1012: 'the relay is restarting',
  4400: 'the relay did not understand the request',
  4401: 'the handshake failed: the link secret is wrong',
  4403: 'this link was revoked (or never existed)',
  4404: 'the relay does not know this daemon: it is not connected to this relay right now',
  4408: 'the connection timed out (the handshake took too long, or it sat idle)',
  4409: 'the daemon connected again elsewhere',
  4429: 'too many connections: try again shortly',
  4503: 'the daemon went away',
  4508: 'this client fell behind and was dropped to resume',
};

/** Why a relay connection failed or ended: the WebSocket close code, or `wrong-daemon` for a key mismatch. */
export class RelayConnectError extends Error {
  override readonly name = 'RelayConnectError';
  constructor(
    message: string,
    readonly code: number,
    readonly kind: 'closed' | 'unreachable' | 'timeout' | 'wrong-daemon' | 'malformed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when trying again later may work (a relay restart, a daemon reconnecting), false for a bad link. */
  get retryable(): boolean {
    return this.kind === 'unreachable' || this.kind === 'timeout' || [1001, 1006, 1012, 4404, 4409, 4429, 4503, 4508].includes(this.code);
  }
}

export function describeClose(code: number, reason: string): string {
  return RELAY_CLOSE_REASONS[code] ?? (reason ? `the relay closed the connection (${code}: ${reason})` : `the relay closed the connection (${code})`);
}

/** Opens the relay socket, runs the E2E handshake and the protocol hello; resolves once welcomed. */
export function connectOverRelay(linkOrUrl: ParsedLink | string, options: RelayConnectOptions): Promise<RelayConnection> {
  const link = typeof linkOrUrl === 'string' ? parseLink(linkOrUrl) : linkOrUrl;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = new options.WebSocket(relaySocketUrl(link.relayUrl, { daemonId: link.daemonId }));
    socket.binaryType = options.binaryType ?? 'arraybuffer';
    const handshake = new ClientHandshake(link);
    let cipher: RecordCipher | AsyncRecordCipher | undefined;
    /** With an asynchronous cipher: the chains that keep records in order, out and in. */
    let outbound: Promise<void> = Promise.resolve();
    let inbound: Promise<void> = Promise.resolve();
    let settled = false;
    let closing = false;
    let heartbeat: Heartbeat | undefined;
    const client = new ControlClient({
      send: (bytes) => {
        if (!cipher || closing) return;
        if (cipher instanceof RecordCipher) {
          for (const record of cipher.seal(bytes)) socket.send(record);
          return;
        }
        const sealed = cipher.seal(bytes);
        sealed.catch(() => {});
        outbound = outbound
          .then(() => sealed)
          .then((records) => {
            if (!closing) for (const record of records) socket.send(record);
          }, e2eFailure);
      },
      close: () => {
        closing = true;
        heartbeat?.stop();
        socket.close(1000, 'client closed');
      },
    });
    const fail = (error: Error): void => {
      clearTimeout(timer);
      heartbeat?.stop();
      if (!settled) {
        settled = true;
        reject(error);
      }
      client.closed(error);
    };
    const timer = setTimeout(() => {
      fail(new RelayConnectError(`no answer from the daemon through ${link.relayUrl} within ${timeoutMs} ms`, 0, 'timeout'));
      closing = true;
      socket.close(4408, 'timeout');
    }, timeoutMs);

    const heartbeatMs = options.heartbeatMs ?? RELAY_CLIENT_HEARTBEAT_MS;
    const pinging = heartbeatMs > 0 ? pingingSocket(socket) : undefined;
    if (pinging) {
      heartbeat = startHeartbeat(pinging, heartbeatMs, () => {
        fail(new RelayConnectError(`the relay at ${link.relayUrl} stopped answering (no pong within ${heartbeatMs} ms)`, 1006, 'timeout'));
        closing = true;
        if (pinging.terminate) pinging.terminate();
        else socket.close(4408, 'relay not answering');
      });
    }

    socket.onopen = () => socket.send(handshake.hello);
    socket.onerror = () => {
      // The close event that follows carries the code; an error before open means the relay is unreachable.
    };
    socket.onclose = (event) => {
      heartbeat?.stop();
      if (closing && settled) return client.closed(new ProtocolError('internal', 'connection closed'));
      const opened = cipher !== undefined;
      const kind = event.code === 1006 && !opened ? 'unreachable' : 'closed';
      // After the handshake, 4401 is the daemon refusing a record of ours that failed authentication, not a bad secret.
      const message =
        kind === 'unreachable'
          ? `cannot reach the relay at ${link.relayUrl}`
          : opened && settled && event.code === 4401
            ? 'the daemon refused a record that failed authentication (altered, replayed or reordered in transit)'
            : describeClose(event.code, event.reason);
      fail(new RelayConnectError(message, event.code, kind));
    };
    socket.onmessage = (event) => {
      // Once the connection is reported over (a record failed, a timeout), nothing more is delivered, even a
      // genuine record still in flight: the stream already has a hole the caller was told about.
      if (closing) return;
      heartbeat?.alive();
      const bytes = asBytes(event.data);
      if (!bytes) return fail(new RelayConnectError('the relay sent a text message; this is not a vibe relay', 1003, 'malformed'));
      try {
        if (!cipher) {
          const keys = handshake.finish(bytes);
          cipher = options.asyncAead ? new AsyncRecordCipher(keys, options.asyncAead) : new RecordCipher(keys, options.aead ?? nobleAead);
          client.start(options).then(
            (welcome) => {
              clearTimeout(timer);
              settled = true;
              resolve({ client, welcome, link });
            },
            (error: Error) => {
              fail(error);
              closing = true;
              socket.close(1000, 'handshake refused');
            },
          );
          return;
        }
        if (cipher instanceof RecordCipher) return client.receive(cipher.open(bytes));
        const opened = cipher.open(bytes);
        opened.catch(() => {});
        inbound = inbound
          .then(() => opened)
          .then((plaintext) => {
            if (!closing) client.receive(plaintext);
          }, e2eFailure);
      } catch (error) {
        e2eFailure(error);
      }
    };
    /** A record that failed to open or seal, or a handshake that failed: the connection is over. */
    function e2eFailure(error: unknown): void {
      if (closing) return;
      const wrapped =
        error instanceof E2eError
          ? new RelayConnectError(error.message, 0, error.kind === 'wrong-daemon' ? 'wrong-daemon' : 'malformed', { cause: error })
          : (error as Error);
      fail(wrapped);
      closing = true;
      socket.close(4401, 'e2e failure');
    }
  });
}

function asBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) {
    // ws with binaryType 'fragments'.
    const parts = data as Uint8Array[];
    const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
  return undefined;
}
