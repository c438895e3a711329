import { describe, expect, it } from 'vitest';
import type { Link, RelayStatus } from '@vibe/protocol';
import { formatLinkTable, lanWarning, relayLine } from './link-format.js';
import { palette } from './terminal.js';

const plain = palette(false);
const now = Date.parse('2026-12-05T12:00:00.000Z');
const relay: RelayStatus = {
  enabled: true,
  url: 'http://127.0.0.1:4100',
  daemonId: 'd'.repeat(22),
  connected: true,
  connectedAt: '2026-12-05T11:00:00.000Z',
  lastError: null,
  embedded: { host: '127.0.0.1', port: 4100, pid: 7 },
  secretStore: 'keychain',
};

describe('lanWarning', () => {
  it('warns only when the embedded relay listens beyond loopback', () => {
    expect(lanWarning(relay)).toBeUndefined();
    expect(lanWarning({ ...relay, embedded: { host: '::1', port: 1, pid: null } })).toBeUndefined();
    expect(lanWarning({ ...relay, embedded: null, url: 'https://relay.example' })).toBeUndefined();
    const warning = lanWarning({ ...relay, embedded: { host: '0.0.0.0', port: 4100, pid: 7 } });
    expect(warning).toMatch(/^warning: the embedded relay listens on 0\.0\.0\.0:4100, reachable from the network/);
    expect(warning).not.toContain('\n');
  });
});

describe('relayLine', () => {
  it('says where the relay is, whether it is connected and why not, and where the secrets are', () => {
    expect(relayLine(relay, plain)).toBe('embedded on 127.0.0.1:4100, connected, secrets in the OS keychain');
    expect(relayLine({ ...relay, embedded: null, url: 'https://relay.example', connected: false, lastError: 'ECONNREFUSED', secretStore: 'file' }, plain)).toBe(
      'https://relay.example, not connected: ECONNREFUSED, secrets in the 0600 file',
    );
    expect(relayLine({ ...relay, enabled: false }, plain)).toBe('off (`vibe connect` starts one)');
  });
});

describe('formatLinkTable', () => {
  it('shows kind, ages, live connections and revoked links, with labels escaped', () => {
    const links: Link[] = [
      { id: 'AAAAAAAAAAA', label: 'phone', kind: 'view', createdAt: '2026-12-05T11:00:00.000Z', lastSeenAt: null, revokedAt: null, connections: 0 },
      { id: 'BBBBBBBBBBB', label: 'evil\u001b]0;x', kind: 'control', createdAt: '2026-12-04T12:00:00.000Z', lastSeenAt: '2026-12-05T11:59:30.000Z', revokedAt: null, connections: 2 },
      { id: 'CCCCCCCCCCC', label: 'old', kind: 'control', createdAt: '2026-12-01T12:00:00.000Z', lastSeenAt: null, revokedAt: '2026-12-02T12:00:00.000Z', connections: 0 },
    ];
    const lines = formatLinkTable(links, { colors: plain, now });
    expect(lines[0]).toMatch(/^ID\s+LABEL\s+KIND\s+CREATED\s+LAST SEEN\s+LIVE$/);
    expect(lines[1]).toMatch(/^AAAAAAAAAAA\s+phone\s+view-only\s+1h ago\s+never\s+0$/);
    expect(lines[2]).toContain('evil\\x1b]0;x');
    expect(lines[2]).toMatch(/control\s+1d ago\s+\S+ ago\s+2$/);
    expect(lines[3]).toMatch(/revoked$/);
  });
});
