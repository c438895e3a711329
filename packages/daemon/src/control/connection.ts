// One control client over any transport: handshake, then validated requests in, responses and events out,
// each request checked against the connection's access before its params are read.
import {
  CAPABILITIES,
  ClientMessage,
  decodeControlPayload,
  encodeControl,
  FrameDecoder,
  FrameError,
  FrameKind,
  isCompatible,
  isMethodName,
  LIMITS,
  METHODS,
  parseOrThrow,
  parseVersion,
  PROTOCOL_VERSION,
  ProtocolError,
  encodeFrame,
  encodeFrameHeader,
  type DecodedItem,
  type Frame,
  type Hello,
  type MethodName,
  type VibeEvent,
} from '@vibe/protocol';
import type { Logger } from '../logger.js';
import type { EventSink } from './event-hub.js';
import type { Handlers, RequestContext } from './handlers.js';
import type { Presence } from './presence.js';
import type { TerminalSink, ViewerStreams } from './session-handlers.js';
import { accessName, peerIdentity, type ConnectionAccess, type ConnectionTransport, type ControlPort, type PeerIdentity } from './transport.js';

/** Past this many unsent bytes a client is not reading; it is dropped rather than let daemon memory grow. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface ConnectionOptions {
  handlers: Handlers;
  logger: Logger;
  version: string;
  pid: number;
  /** Announced in the welcome (@since 1.3) when the daemon has an identity. */
  daemonId?: string;
  /** Check results against their schemas too (tests); costs time on large listings. */
  validateResults: boolean;
  /** True once the daemon is stopping: requests are refused before they can change anything. */
  draining(): boolean;
  /** Where terminal input and acks from this client go. */
  streams: ViewerStreams;
  /** Told of each keystroke accepted, so others see who is typing (@since 1.5). */
  presence: Pick<Presence, 'typed'>;
  /** How the local socket's clients are named in chat and presence (@since 1.5). */
  localLabel: string;
  onClose(connection: ControlConnection): void;
  /**
   * Long requests under way on every connection, each until its answer is written (or its client is gone):
   * the server's, so a stop waits for work whose client hung up too (ControlServer.drain).
   */
  inFlight: Set<Promise<void>>;
}

export class ControlConnection implements EventSink, TerminalSink, ControlPort {
  private readonly decoder = new FrameDecoder(LIMITS.maxMessageBytes);
  private greeted = false;
  /** Set by the hello: who this client is to others, and the protocol minor it speaks. */
  private peer: PeerIdentity | undefined;
  protocolMinor = 0;
  /** Set once the connection let go of everything; nothing is read or written after it. */
  private disposed = false;
  /** Set once the transport was asked to end or was destroyed: nothing more is written to it. */
  private ending = false;
  constructor(
    private readonly transport: ConnectionTransport,
    readonly id: number,
    readonly access: ConnectionAccess,
    private readonly options: ConnectionOptions,
  ) {}

  sendEvent(subscription: number, event: VibeEvent): void {
    this.send({ type: 'event', subscription, ...event });
  }

  /** The payload may be a view of the scrollback: it is copied or sealed before this returns. */
  sendFrame(frame: Frame): void {
    if (this.disposed || this.ending) return;
    if (this.transport.writev) this.transport.writev([encodeFrameHeader(frame), frame.payload]);
    else this.transport.write(encodeFrame(frame));
  }

  bufferedBytes(): number {
    return this.transport.bufferedBytes();
  }

  /** Ends the connection after flushing what was written. */
  end(): void {
    if (this.disposed || this.ending) return;
    this.ending = true;
    this.transport.end();
  }

  /** Drops the connection at once (a client that stopped reading, a revoked link). */
  destroy(): void {
    if (this.disposed) return;
    this.ending = true;
    this.transport.destroy();
    this.closed();
  }

  drained(): void {
    if (!this.disposed) this.options.streams.drained(this);
  }

  isGone(): boolean {
    return this.disposed;
  }

  /** The transport is gone: detach from every session and subscription. Safe to call twice. */
  closed(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ending = true;
    this.options.streams.dropSink(this);
    this.options.onClose(this);
  }

  receive(chunk: Uint8Array): void {
    if (this.disposed || this.ending) return;
    let items: DecodedItem[];
    let framingError: FrameError | undefined;
    try {
      items = this.decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      framingError = error;
      items = error.decoded;
    }
    this.handleItems(items);
    if (framingError) {
      // The byte stream cannot be resynchronised: say why, then hang up on this client only.
      this.options.logger.warn('framing error; closing connection', { connection: this.id, error: framingError.message });
      this.sendError(null, new ProtocolError('malformed', `framing error: ${framingError.message}; closing the connection`));
      this.end();
    }
  }

  private handleItems(items: DecodedItem[]): void {
    for (const item of items) {
      if (this.disposed) return;
      if (item.type === 'oversize') {
        this.sendError(null, new ProtocolError('too_large', `message of ${item.length} bytes is over the ${LIMITS.maxMessageBytes}-byte limit; it was discarded`));
      } else if (item.frame.kind === FrameKind.Control) {
        this.handleControl(item.frame.payload);
      } else {
        this.handleTerminalFrame(item.frame);
      }
    }
  }

  /** Keystrokes and acks for attached sessions; anything else is answered, never acted on. */
  private handleTerminalFrame(frame: Frame): void {
    if (!this.greeted) return this.sendError(null, new ProtocolError('handshake_required', 'send hello before terminal frames'));
    if (this.options.draining()) return;
    if (frame.kind === FrameKind.Input) {
      // A view-only link's keys never reach a session, whatever it is attached to.
      if (this.access.kind === 'link' && this.access.readOnly) {
        return this.sendError(null, new ProtocolError('forbidden', `input for session ${frame.session} refused: this link is view-only`));
      }
      if (!this.options.streams.input(this, frame.session, frame.payload)) {
        this.sendError(null, new ProtocolError('conflict', `input for session ${frame.session} refused: not attached with write access`));
      } else {
        this.options.presence.typed(this, frame.session);
      }
    } else if (frame.kind === FrameKind.Ack) {
      this.options.streams.ack(this, frame.session, frame.seq);
    } else {
      this.sendError(null, new ProtocolError('unknown_method', `frame kind 0x${frame.kind.toString(16)} is not accepted from clients`));
    }
  }

  private handleControl(payload: Uint8Array): void {
    let raw: unknown;
    try {
      raw = decodeControlPayload(payload);
    } catch (error) {
      this.sendError(null, new ProtocolError('malformed', `message is not UTF-8 JSON: ${(error as Error).message}`));
      return;
    }
    const id = requestId(raw);
    try {
      const message = parseOrThrow(ClientMessage, raw, isKnownType(raw) ? 'malformed' : 'unknown_method', 'message');
      if (message.type === 'hello') return this.handleHello(message);
      if (!this.greeted) throw new ProtocolError('handshake_required', 'send hello before any request');
      if (!isMethodName(message.method)) throw new ProtocolError('unknown_method', `unknown method "${message.method}"`);
      this.checkAccess(message.method, message.params);
      if (this.options.draining()) throw new ProtocolError('shutting_down', 'the daemon is stopping; nothing was done — run `vibe up` to start it again');
      const result = this.call(message.method, message.params);
      if (result instanceof Promise) {
        // Long requests (starting an agent) answer when done; later requests are not held up meanwhile.
        const answered = result.then(
          (value) => this.send({ type: 'response', id: message.id, result: value }),
          (error: unknown) => this.sendError(id, this.toProtocolError(error)),
        );
        this.options.inFlight.add(answered);
        void answered.finally(() => this.options.inFlight.delete(answered));
      } else {
        this.send({ type: 'response', id: message.id, result });
      }
    } catch (error) {
      this.sendError(id, this.toProtocolError(error));
    }
  }

  private handleHello(hello: Hello): void {
    const { protocol } = hello;
    if (!isCompatible(protocol)) {
      this.sendError(null, new ProtocolError('unsupported_version', `client speaks protocol ${protocol}; this daemon speaks ${PROTOCOL_VERSION} — upgrade the older side`));
      this.end();
      return;
    }
    this.greeted = true;
    this.peer = peerIdentity(this.access, this.options.localLabel, hello);
    this.protocolMinor = parseVersion(protocol)?.minor ?? 0;
    this.send({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      daemon: { version: this.options.version, pid: this.options.pid },
      capabilities: [...CAPABILITIES],
      access: accessName(this.access),
      ...(this.options.daemonId === undefined ? {} : { daemonId: this.options.daemonId }),
      label: this.peer.label,
    });
  }

  /**
   * Refuses what this connection's access does not allow, before its params are even parsed: a link gets
   * nothing `local`, a view-only link nothing `write` and no attach that could type or resize.
   */
  private checkAccess(method: MethodName, rawParams: unknown): void {
    if (this.access.kind === 'local') return;
    const needed = METHODS[method].access;
    if (needed === 'local') throw new ProtocolError('forbidden', `${method}: only on the daemon's machine`);
    if (!this.access.readOnly) return;
    if (needed === 'write') throw new ProtocolError('forbidden', `${method}: this link is view-only`);
    if (method === 'session.attach' && (rawParams as { readOnly?: unknown } | null | undefined)?.readOnly !== true) {
      throw new ProtocolError('forbidden', 'session.attach: this link is view-only; attach with readOnly: true');
    }
  }

  private call(method: MethodName, rawParams: unknown): unknown {
    const spec = METHODS[method];
    const params = parseOrThrow(spec.params, rawParams ?? {}, 'invalid_params', `${method} params`);
    const handler = this.options.handlers[method] as (params: unknown, context: RequestContext) => unknown;
    // Requests are served only after the hello, which set the peer.
    const result = handler(params, { sink: this, access: this.access, peer: this.peer! });
    const check = (value: unknown): unknown => {
      if (this.options.validateResults) parseOrThrow(spec.result, value, 'internal', `${method} result`);
      return value;
    };
    return result instanceof Promise ? result.then(check) : check(result);
  }

  private toProtocolError(error: unknown): ProtocolError {
    if (error instanceof ProtocolError) return error;
    this.options.logger.error('request failed', { connection: this.id, error });
    return new ProtocolError('internal', `internal error: ${(error as Error)?.message ?? String(error)} (see the daemon log)`);
  }

  private sendError(id: number | null, error: ProtocolError): void {
    this.send({ type: 'response', id, error: error.toJSON() });
  }

  private send(message: unknown): void {
    if (this.disposed || this.ending) return;
    const buffered = this.transport.bufferedBytes();
    if (buffered > MAX_BUFFERED_BYTES) {
      this.options.logger.warn('client is not reading; dropping it', { connection: this.id, buffered });
      this.destroy();
      return;
    }
    this.transport.write(encodeControl(message));
  }
}

/** The id of a request, read leniently so even an invalid request is answered under its own id. */
function requestId(raw: unknown): number | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}

function isKnownType(raw: unknown): boolean {
  const type = (raw as { type?: unknown } | null)?.type;
  return type === 'hello' || type === 'request';
}
