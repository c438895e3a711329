// The closed list of error codes a vibe peer may send, and the one wire error type that carries them.

/** Every error code on the wire. Adding one is a protocol change: document it in docs/protocol.md. */
export const ERROR_CODES = {
  malformed: 'The message is not valid JSON or not a valid message envelope.',
  unknown_method: 'The message type or request method is not one this peer knows.',
  too_large: 'The message is larger than the peer accepts; it was discarded unread.',
  unsupported_version: 'The peer speaks a protocol major version this peer does not.',
  handshake_required: 'A request arrived before the hello/welcome handshake completed.',
  invalid_params: 'The request parameters do not match the method schema (types, lengths, limits).',
  not_found: 'The project, task or subscription named does not exist.',
  conflict: 'The request clashes with existing state (a duplicate name, an ambiguous reference).',
  illegal_transition: 'The task cannot move from its current status to the one asked for.',
  project_required: 'The request needs a project and none could be inferred; name one.',
  busy: "A resource stayed busy (the database locked by another process past the busy timeout, a session's program leaving the input already typed unread); nothing was changed.",
  forbidden: "The connection may not make this request: a view-only link asked for a change, or a link asked for what only the daemon's own machine may do.",
  shutting_down: 'The daemon is stopping and accepts no new work.',
  internal: 'The peer failed unexpectedly; the details are in its log.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The JSON form of an error inside a response. */
export interface WireError {
  code: ErrorCode;
  message: string;
  data?: unknown;
}

/** An error that crosses the wire: thrown by handlers, serialised into responses, rebuilt by clients. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): WireError {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }

  static fromJSON(wire: WireError): ProtocolError {
    const code = isErrorCode(wire.code) ? wire.code : 'internal';
    return new ProtocolError(code, wire.message, wire.data);
  }
}
