// Relay and link messages (protocol 1.3): the daemon's relay connection and the links that reach it through one.
import { z } from 'zod';
import { Empty, Timestamp } from './common.js';

/** What a link may do: `control` links act like the local CLI, `view` links only watch. */
export const LinkKind = z.enum(['control', 'view']);
export type LinkKind = z.infer<typeof LinkKind>;

export const LinkLabel = z
  .string()
  .min(1)
  .max(100)
  // A label is printed in `vibe links ls`: control characters would corrupt the listing.
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'link labels cannot contain control characters');

/** @since 1.3 One link: its secret is never part of it (only the URL `link.create` returns carries it). */
export const Link = z.object({
  id: z.string().describe('base64url of 8 random bytes'),
  label: z.string(),
  kind: LinkKind,
  createdAt: Timestamp,
  lastSeenAt: Timestamp.nullable().describe('When a client last connected or left through it'),
  revokedAt: Timestamp.nullable(),
  connections: z.number().int().nonnegative().describe('Live connections opened through it now'),
});
export type Link = z.infer<typeof Link>;

/** @since 1.3 */
export const RelayStatus = z.object({
  enabled: z.boolean().describe('A relay is configured (kept across daemon restarts until relay.disconnect)'),
  url: z.string().nullable().describe('The relay base URL links carry'),
  daemonId: z.string().describe('base64url of the first 16 bytes of SHA-256 of the daemon public key'),
  connected: z.boolean(),
  connectedAt: Timestamp.nullable(),
  lastError: z.string().nullable(),
  embedded: z
    .object({ host: z.string(), port: z.number().int().min(0).max(65535), pid: z.number().int().nullable() })
    .nullable()
    .describe('The embedded relay process, when no remote relay is used'),
  secretStore: z.enum(['keychain', 'file']).describe('Where the identity and link secrets are kept'),
});
export type RelayStatus = z.infer<typeof RelayStatus>;

const RelayResult = z.object({ relay: RelayStatus });

export const RelayConnectParams = z.object({
  relay: z
    .url({ protocol: /^https?$/, error: 'relay must be an http(s) URL' })
    .max(2048)
    .optional()
    .describe('@since 1.3 A remote relay; absent: the embedded relay'),
  host: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[A-Za-z0-9.:%-]+$/, 'host must be a host name or an IP address')
    .optional()
    .describe('@since 1.3 Embedded relay bind address (default 127.0.0.1)'),
  port: z.number().int().min(0).max(65535).optional().describe('@since 1.3 Embedded relay port; default the one used last time, else a free one'),
});
export const RelayConnectResult = RelayResult;
export const RelayDisconnectParams = Empty;
export const RelayDisconnectResult = RelayResult;
export const RelayStatusParams = Empty;
export const RelayStatusResult = RelayResult;

export const LinkCreateParams = z.object({
  kind: LinkKind.describe('@since 1.3'),
  label: LinkLabel.optional().describe('@since 1.3'),
});
export const LinkCreateResult = z.object({
  link: Link,
  url: z.string().describe('B/#v1.<daemonId>.<linkId>.<secret>: the secret only in the fragment'),
});
export const LinkListParams = Empty;
export const LinkListResult = z.object({ links: z.array(Link).describe('Newest first, revoked ones included') });
export const LinkRevokeParams = z.object({ id: z.string().min(1).max(100).describe('@since 1.3') });
export const LinkRevokeResult = z.object({ link: Link });
