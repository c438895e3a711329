// The relay and link handlers: each delegates to the relay room, and revoking a link closes its connections.
import { describe, expect, it } from 'vitest';
import { ProtocolError, type Link, type RelayStatus } from '@vibe/protocol';
import { createRelayHandlers, type RelayControl } from './relay-handlers.js';
import type { ConnectionAccess } from './transport.js';

const status: RelayStatus = { enabled: true, url: 'http://127.0.0.1:4000', daemonId: 'd'.repeat(22), connected: true, connectedAt: '2026-01-01T00:00:00.000Z', lastError: null, embedded: null, secretStore: 'file' };
const link = (id: string, revokedAt: string | null = null): Link => ({ id, label: id, kind: 'view', createdAt: '2026-01-01T00:00:00.000Z', lastSeenAt: null, revokedAt, connections: 1 });

/** A relay room that records what it was asked, and the connections a handler closed. */
function fixture() {
  const calls: unknown[][] = [];
  const relay: RelayControl = {
    status: () => status,
    connect: async (params) => (calls.push(['connect', params]), status),
    disconnect: () => (calls.push(['disconnect']), { ...status, enabled: false }),
    createLink: (kind, label) => (calls.push(['createLink', kind, label]), { link: link('new'), url: 'http://r/#v1.x' }),
    listLinks: () => [link('a'), link('b')],
    revokeLink: (id) => {
      if (id === 'gone') throw new ProtocolError('not_found', 'no link gone');
      calls.push(['revokeLink', id]);
      return link(id, '2026-01-02T00:00:00.000Z');
    },
  };
  const open: ConnectionAccess[] = [
    { kind: 'local' },
    { kind: 'link', linkId: 'a', label: 'a', readOnly: true },
    { kind: 'link', linkId: 'a', label: 'a', readOnly: true },
    { kind: 'link', linkId: 'b', label: 'b', readOnly: false },
  ];
  const closed: ConnectionAccess[] = [];
  const handlers = createRelayHandlers({
    relay,
    closeConnections: (match) => {
      const matching = open.filter(match);
      closed.push(...matching);
      return matching.length;
    },
  });
  return { handlers, calls, closed };
}

describe('the relay handlers', () => {
  it('pass params through to the relay room and wrap its answers', async () => {
    const { handlers, calls } = fixture();
    expect(await handlers['relay.connect']({ relay: 'https://relay.example' })).toEqual({ relay: status });
    expect(await handlers['relay.disconnect']({})).toEqual({ relay: { ...status, enabled: false } });
    expect(await handlers['relay.status']({})).toEqual({ relay: status });
    expect(await handlers['link.create']({ kind: 'view', label: 'phone' })).toMatchObject({ url: 'http://r/#v1.x', link: { id: 'new' } });
    expect(await handlers['link.list']({})).toEqual({ links: [link('a'), link('b')] });
    expect(calls).toEqual([['connect', { relay: 'https://relay.example' }], ['disconnect'], ['createLink', 'view', 'phone']]);
  });

  it('close exactly the revoked link\'s connections, whatever the relay room did', async () => {
    const { handlers, closed } = fixture();
    expect(await handlers['link.revoke']({ id: 'a' })).toEqual({ link: { ...link('a', '2026-01-02T00:00:00.000Z'), connections: 0 } });
    expect(closed).toEqual([
      { kind: 'link', linkId: 'a', label: 'a', readOnly: true },
      { kind: 'link', linkId: 'a', label: 'a', readOnly: true },
    ]);
  });

  it('close nothing when the room refuses the revocation', async () => {
    const { handlers, closed } = fixture();
    await expect(handlers['link.revoke']({ id: 'gone' })).rejects.toMatchObject({ code: 'not_found' });
    expect(closed).toEqual([]);
  });
});
