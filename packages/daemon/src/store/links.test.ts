// Link rows and the relay settings row: created, listed newest first, revoked once, touched, patched, kept.
import { describe, expect, it } from 'vitest';
import { openStore, otherConnection, tempStore } from './temp-store.js';

const at = (day: number): string => `2026-01-0${day}T00:00:00.000Z`;

describe('links', () => {
  it('are stored as given and listed newest first, revoked ones included', () => {
    const { store } = tempStore();
    const first = store.createLink({ id: 'link-one-01', label: 'phone 📱', kind: 'view', createdAt: at(1) });
    expect(first).toEqual({ id: 'link-one-01', label: 'phone 📱', kind: 'view', createdAt: at(1), lastSeenAt: null, revokedAt: null });
    store.createLink({ id: 'link-two-02', label: 'laptop', kind: 'control', createdAt: at(2) });
    store.revokeLink('link-one-01', at(3));
    expect(store.listLinks().map((link) => [link.id, link.revokedAt])).toEqual([
      ['link-two-02', null],
      ['link-one-01', at(3)],
    ]);
    expect(store.getLink('link-two-02')).toMatchObject({ kind: 'control', label: 'laptop' });
    expect(store.getLink('nope')).toBeUndefined();
  });

  it('refuse a second link with the same id, changing nothing', () => {
    const { store } = tempStore();
    store.createLink({ id: 'same', label: 'a', kind: 'view', createdAt: at(1) });
    expect(() => store.createLink({ id: 'same', label: 'b', kind: 'control', createdAt: at(2) })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(store.listLinks()).toMatchObject([{ id: 'same', label: 'a', kind: 'view' }]);
  });

  it('refuse labels and kinds the protocol does not allow with invalid_params, not a database error', () => {
    const { store } = tempStore();
    const bad = [
      { id: 'a', label: '', kind: 'view' },
      { id: 'a', label: 'x'.repeat(101), kind: 'view' },
      { id: 'a', label: 'lone \ud800', kind: 'view' },
      { id: 'a', label: 'ok', kind: 'admin' },
      { id: '', label: 'ok', kind: 'view' },
    ] as const;
    for (const input of bad) {
      expect(() => store.createLink({ ...input, kind: input.kind as 'view', createdAt: at(1) }), JSON.stringify(input)).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    }
    expect(store.createLink({ id: 'b', label: 'x'.repeat(100), kind: 'view', createdAt: at(1) }).label).toHaveLength(100);
    expect(store.listLinks()).toHaveLength(1);
  });

  it('are revoked once: an unknown id is not_found and a second revocation conflict, keeping the first time', () => {
    const { store } = tempStore();
    store.createLink({ id: 'l', label: 'l', kind: 'control', createdAt: at(1) });
    expect(store.revokeLink('l', at(2))).toMatchObject({ id: 'l', revokedAt: at(2) });
    expect(() => store.revokeLink('l', at(3))).toThrow(expect.objectContaining({ code: 'conflict', message: `link l was already revoked at ${at(2)}` }));
    expect(() => store.revokeLink('unknown', at(3))).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(store.getLink('l')?.revokedAt).toBe(at(2));
  });

  it('remember when a client last came through, and ignore an unknown id', () => {
    const { store } = tempStore();
    store.createLink({ id: 'l', label: 'l', kind: 'view', createdAt: at(1) });
    store.touchLink('l', at(4));
    store.touchLink('gone', at(5));
    expect(store.getLink('l')?.lastSeenAt).toBe(at(4));
    expect(store.listLinks()).toHaveLength(1);
  });

  it('keep no secret: only the columns of the contract exist', () => {
    const { path } = tempStore();
    const columns = (table: string): string[] => (otherConnection(path).prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    expect(columns('links')).toEqual(['id', 'label', 'kind', 'created_at', 'last_seen_at', 'revoked_at']);
    expect(columns('relay_settings')).toEqual(['id', 'enabled', 'url', 'embedded_host', 'embedded_port']);
  });
});

describe('relay settings', () => {
  it('start off, change only the fields given, and survive reopening', () => {
    const { store, path } = tempStore();
    expect(store.relaySettings()).toEqual({ enabled: false, url: null, embeddedHost: null, embeddedPort: null });
    expect(store.setRelaySettings({ enabled: true, embeddedHost: '127.0.0.1', embeddedPort: 4100 })).toEqual({ enabled: true, url: null, embeddedHost: '127.0.0.1', embeddedPort: 4100 });
    store.setRelaySettings({ enabled: false, url: undefined });
    store.close();
    expect(openStore({ path }).relaySettings()).toEqual({ enabled: false, url: null, embeddedHost: '127.0.0.1', embeddedPort: 4100 });
  });

  it('take a whole record, and null clears a field', () => {
    const { store } = tempStore();
    store.setRelaySettings({ enabled: true, url: 'https://relay.example', embeddedHost: '0.0.0.0', embeddedPort: 0 });
    expect(store.setRelaySettings({ url: null, embeddedPort: null })).toEqual({ enabled: true, url: null, embeddedHost: '0.0.0.0', embeddedPort: null });
  });

  it('refuse a port that is not one, changing nothing', () => {
    const { store } = tempStore();
    for (const embeddedPort of [-1, 65536, 1.5, Number.NaN]) {
      expect(() => store.setRelaySettings({ enabled: true, embeddedPort }), String(embeddedPort)).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    }
    expect(store.relaySettings().enabled).toBe(false);
  });
});
