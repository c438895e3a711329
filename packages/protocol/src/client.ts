// A transport-neutral control client: handshake, request/response matching and pushed events over frames.
// The CLI runs it over a unix socket; the web view will run it over the relay.
import { ProtocolError } from './errors.js';
import { decodeControlPayload, encodeControl, encodeFrame, FrameDecoder, FrameKind, type Frame } from './frame.js';
import { LIMITS } from './limits.js';
import type { Event, Response, Welcome } from './messages/envelope.js';
import type { MethodName, MethodParams, MethodResult } from './methods.js';
import { isCompatible, PROTOCOL_VERSION } from './version.js';

/** The byte pipe a client runs over. */
export interface FrameTransport {
  send(bytes: Uint8Array): void;
  close(): void;
}

export interface ClientOptions {
  client: { name: string; version: string };
  capabilities?: string[];
  /** @since 1.5 What the client runs on, in words; others watching a session see it in its presence. */
  device?: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class ControlClient {
  private readonly decoder = new FrameDecoder(LIMITS.maxResponseBytes);
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private welcome: Welcome | undefined;
  private handshake: Pending | undefined;
  private closedError: Error | undefined;
  private readonly eventListeners = new Set<(event: Event) => void>();
  private readonly frameListeners = new Set<(frame: Frame) => void>();
  private readonly closeListeners = new Set<(error: Error) => void>();
  private readonly refusalListeners = new Set<(error: ProtocolError) => void>();

  constructor(private readonly transport: FrameTransport) {}

  /** Sends hello and resolves with the daemon's welcome; rejects on an incompatible version. */
  start(options: ClientOptions): Promise<Welcome> {
    // Without this a handshake begun after the connection failed would wait forever.
    if (this.closedError) return Promise.reject(this.closedError);
    const welcome = new Promise<Welcome>((resolve, reject) => {
      this.handshake = { resolve: (value) => resolve(value as Welcome), reject };
    });
    this.transport.send(
      encodeControl({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        client: options.client,
        capabilities: options.capabilities ?? [],
        ...(options.device !== undefined && { device: options.device }),
      }),
    );
    return welcome;
  }

  get daemon(): Welcome | undefined {
    return this.welcome;
  }

  request<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise<MethodResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: (value) => resolve(value as MethodResult<M>), reject });
      this.transport.send(encodeControl({ type: 'request', id, method, params }));
    });
  }

  /** Sends a non-control frame (terminal input, acks) on the same connection. */
  sendFrame(frame: Frame): void {
    if (this.closedError) throw this.closedError;
    this.transport.send(encodeFrame(frame));
  }

  onEvent(listener: (event: Event) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called once when the connection ends, with the reason (a long-lived client such as attach needs it). */
  /**
   * Errors the daemon answers with no request id once the connection is up: a refused terminal frame (input
   * from a view-only link, input to a session not attached for writing), a discarded oversize message. They
   * leave the connection open; where one is fatal, the daemon closes it and onClose follows.
   */
  onRefusal(listener: (error: ProtocolError) => void): () => void {
    this.refusalListeners.add(listener);
    return () => this.refusalListeners.delete(listener);
  }

  onClose(listener: (error: Error) => void): () => void {
    if (this.closedError) queueMicrotask(() => listener(this.closedError!));
    else this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Non-control frames (terminal output, snapshots) go to these listeners. */
  onFrame(listener: (frame: Frame) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /** Feed bytes received from the transport. */
  receive(chunk: Uint8Array): void {
    try {
      for (const item of this.decoder.push(chunk)) {
        if (item.type === 'oversize') throw new ProtocolError('too_large', `daemon sent a ${item.length}-byte frame`);
        if (item.frame.kind === FrameKind.Control) this.dispatch(readControl(item.frame.payload));
        else for (const listener of this.frameListeners) listener(item.frame);
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      this.transport.close();
    }
  }

  /** Call when the transport closes; every outstanding request rejects with `error`. */
  closed(error: Error = new ProtocolError('internal', 'connection to the daemon closed')): void {
    this.fail(error);
  }

  close(): void {
    this.transport.close();
  }

  private dispatch(raw: unknown): void {
    const message = readDaemonMessage(raw);
    if (message.type === 'welcome') {
      if (!isCompatible(message.protocol)) {
        throw new ProtocolError('unsupported_version', `daemon speaks protocol ${message.protocol}, this client ${PROTOCOL_VERSION}`);
      }
      this.welcome = message;
      this.handshake?.resolve(message);
      this.handshake = undefined;
      return;
    }
    if (message.type === 'event') {
      for (const listener of this.eventListeners) listener(message);
      return;
    }
    if (message.id === null) {
      if (!('error' in message)) return;
      // Before the welcome it answers the hello: the handshake failed.
      if (!this.welcome) throw ProtocolError.fromJSON(message.error);
      const refusal = ProtocolError.fromJSON(message.error);
      for (const listener of this.refusalListeners) listener(refusal);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if ('error' in message) pending.reject(ProtocolError.fromJSON(message.error));
    else pending.resolve(message.result);
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    this.handshake?.reject(error);
    this.handshake = undefined;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    for (const listener of this.closeListeners) listener(error);
    this.closeListeners.clear();
  }
}

type DaemonMessage = Welcome | Response | Event;

function readControl(payload: Uint8Array): unknown {
  try {
    return decodeControlPayload(payload);
  } catch (error) {
    throw new ProtocolError('malformed', `malformed message from daemon: ${(error as Error).message}`, undefined, { cause: error });
  }
}

/**
 * Checks the envelope of a daemon message by hand rather than with the zod schemas: the CLI must start in
 * well under 100 ms and zod alone takes about 40 ms to load. Results are trusted to match their method's
 * schema (the daemon validated its own output in tests); envelopes and error bodies are checked here.
 */
export function readDaemonMessage(raw: unknown): DaemonMessage {
  const bad = (why: string): never => {
    throw new ProtocolError('malformed', `malformed message from daemon: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('not an object');
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'welcome':
      if (typeof message.protocol !== 'string') return bad('welcome without protocol');
      if (typeof message.daemon !== 'object' || message.daemon === null) return bad('welcome without daemon info');
      if (!Array.isArray(message.capabilities)) return bad('welcome without capabilities');
      return message as unknown as Welcome;
    case 'event':
      if (typeof message.name !== 'string' || typeof message.seq !== 'number') return bad('event without name or seq');
      if (typeof message.data !== 'object' || message.data === null) return bad('event without data');
      return message as unknown as Event;
    case 'response': {
      if (message.id !== null && !Number.isInteger(message.id)) return bad('response without id');
      if ('error' in message) {
        const error = message.error as Record<string, unknown> | null;
        // Any string code is accepted: a newer daemon may send a code this client does not know yet, and
        // ProtocolError.fromJSON reads it as `internal` with the daemon's message rather than failing the connection.
        if (typeof error !== 'object' || error === null || typeof error.message !== 'string' || typeof error.code !== 'string') {
          return bad('response with an invalid error');
        }
      } else if (!('result' in message)) {
        return bad('response with neither result nor error');
      }
      return message as unknown as Response;
    }
    default:
      return bad(`unknown type ${JSON.stringify(message.type)}`);
  }
}
