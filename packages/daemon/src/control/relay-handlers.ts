// Serves the relay and link methods (protocol 1.3): each is a call into the relay room, behind RelayControl.
import type { Link, LinkKind, MethodName, MethodParams, MethodResult, RelayStatus } from '@vibe/protocol';
import type { ConnectionAccess } from './transport.js';

/** What the control room needs from the relay room (packages/daemon/src/relay/), which implements it. */
export interface RelayControl {
  status(): RelayStatus;
  /** Persisted: the daemon reconnects to this relay after a restart, until disconnect(). */
  connect(params: MethodParams<'relay.connect'>): RelayStatus | Promise<RelayStatus>;
  disconnect(): RelayStatus | Promise<RelayStatus>;
  /** `conflict` when no relay is configured. */
  createLink(kind: LinkKind, label: string | undefined): { link: Link; url: string } | Promise<{ link: Link; url: string }>;
  /** Newest first, revoked ones included. */
  listLinks(): Link[];
  /** `not_found` for an unknown id, `conflict` for one already revoked; the room closes its live clients. */
  revokeLink(id: string): Link | Promise<Link>;
}

export interface RelayHandlerServices {
  relay: RelayControl;
  /** Closes every control connection whose access matches; returns how many. */
  closeConnections(match: (access: ConnectionAccess) => boolean): number;
}

type RelayMethod = 'relay.connect' | 'relay.disconnect' | 'relay.status' | 'link.create' | 'link.list' | 'link.revoke';
type Handler<M extends MethodName> = (params: MethodParams<M>) => MethodResult<M> | Promise<MethodResult<M>>;

export function createRelayHandlers({ relay, closeConnections }: RelayHandlerServices): { [M in RelayMethod]: Handler<M> } {
  return {
    'relay.connect': async (params) => ({ relay: await relay.connect(params) }),
    'relay.disconnect': async () => ({ relay: await relay.disconnect() }),
    'relay.status': () => ({ relay: relay.status() }),
    'link.create': async (params) => await relay.createLink(params.kind, params.label),
    'link.list': () => ({ links: relay.listLinks() }),
    'link.revoke': async (params) => {
      const link = await relay.revokeLink(params.id);
      // The relay room closes its clients of this link (4403); closing here too means no connection opened
      // through a revoked link outlives the answer, whatever the room did.
      closeConnections((access) => access.kind === 'link' && access.linkId === params.id);
      return { link: { ...link, connections: 0 } };
    },
  };
}
