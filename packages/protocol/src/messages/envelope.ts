// The control message envelopes: handshake, request, response and pushed event.
import { z } from 'zod';
import { errorCodes, type ErrorCode } from '../errors.js';
import { EventData } from './events.js';

const ClientInfo = z.object({ name: z.string().max(100), version: z.string().max(100) });

/** First message from a client. */
export const Hello = z.object({
  type: z.literal('hello'),
  protocol: z.string().max(20).describe('MAJOR.MINOR'),
  client: ClientInfo,
  capabilities: z.array(z.string().max(100)).max(100),
  /** @since 1.5 What the client runs on, in words ("Chrome on Android"): shown to others watching the same session. */
  device: z.string().max(100).optional().describe('@since 1.5 What the client runs on, in words; shown in presence'),
});
export type Hello = z.infer<typeof Hello>;

/** The daemon's answer to hello. */
export const Welcome = z.object({
  type: z.literal('welcome'),
  protocol: z.string(),
  daemon: z.object({ version: z.string(), pid: z.number().int() }),
  capabilities: z.array(z.string()),
  /** @since 1.3 What this connection may do: the local socket, or a control or view-only link. */
  access: z.enum(['local', 'control', 'view']).optional().describe('@since 1.3 local socket, control link or view-only link'),
  /** @since 1.3 The daemon's id (from its Ed25519 public key), which links name. */
  daemonId: z.string().optional().describe('@since 1.3 base64url of the first 16 bytes of SHA-256 of the daemon public key'),
  /** @since 1.5 How the daemon names this connection in chat, presence and answers: the link's label, or the local user. */
  label: z.string().max(100).optional().describe('@since 1.5 the link label, or the user name of the daemon machine for the local socket'),
});
export type Welcome = z.infer<typeof Welcome>;

export const Request = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  params: z.unknown().optional(),
});
export type Request = z.infer<typeof Request>;

export const ErrorBody = z.object({
  code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  data: z.unknown().optional(),
});

/** A response; `id` is null when the request it answers could not be read far enough to know its id. */
export const Response = z.union([
  z.object({ type: z.literal('response'), id: z.number().int().nullable(), result: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.number().int().nullable(), error: ErrorBody }),
]);
export type Response = z.infer<typeof Response>;

export const Event = z.intersection(
  z.object({
    type: z.literal('event'),
    subscription: z.number().int().positive(),
    seq: z.number().int().positive(),
    at: z.string(),
  }),
  EventData,
);
export type Event = z.infer<typeof Event>;

/** Anything a client may send. */
export const ClientMessage = z.discriminatedUnion('type', [Hello, Request]);
/** Anything the daemon may send. */
export const DaemonMessage = z.union([Welcome, Response, Event]);
