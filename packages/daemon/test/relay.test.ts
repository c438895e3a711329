// Remote access end to end: a real daemon, its embedded relay as a real process, and clients speaking the E2E
// channel over real WebSockets on 127.0.0.1 — the protocol-level client the CLI's --link and the web view are
// built on. What a tampering relay can and cannot do is in relay-tampering.test.ts.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLink, parseLink, randomBytes } from '@vibe/protocol';
import { until } from './daemon-fixture.js';
import { ended, input, RelayBed, watch } from './relay-fixture.js';

let bed: RelayBed;

beforeEach(() => {
  bed = new RelayBed();
});

afterEach(async () => {
  await bed.dispose();
});

describe('vibe connect with the embedded relay', () => {
  it('starts its own relay process, serves the same methods through it, and keeps it across a daemon restart', async () => {
    await bed.boot();
    const { relay } = await bed.local.request('relay.connect', {});
    expect(relay).toMatchObject({ enabled: true, connected: true, secretStore: 'file', embedded: { host: '127.0.0.1', pid: expect.any(Number) } });
    expect(relay.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const relayPid = relay.embedded!.pid!;
    expect(relayPid).not.toBe(process.pid);

    const { url, link } = await bed.local.request('link.create', { kind: 'control', label: 'laptop' });
    const parsed = parseLink(url);
    expect(parsed).toMatchObject({ relayUrl: relay.url, daemonId: relay.daemonId, linkId: link.id });
    // The secret is in the fragment only.
    expect(new URL(url).hash.length).toBeGreaterThan(40);
    expect(url.split('#')[0]).not.toContain(Buffer.from(parsed.secret).toString('base64url'));

    const first = await bed.remote(url);
    expect(first.welcome).toMatchObject({ access: 'control', daemonId: relay.daemonId });
    expect(await first.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1, title: 'Greet' }] });
    expect(await first.client.request('task.create', { project: 'repo', title: 'From afar' })).toMatchObject({ task: { number: 2 } });
    // Only the daemon's machine manages links, whatever the link.
    await expect(first.client.request('link.create', { kind: 'control' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await bed.local.request('link.list', {})).links).toMatchObject([{ id: link.id, label: 'laptop', kind: 'control', connections: 1 }]);

    // Secrets never land in the database or the logs; the file store is 0600.
    const secretsFile = join(bed.dir, 'home', 'data', 'secrets.json');
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    const encoded = Buffer.from(parsed.secret).toString('base64url');
    expect(readFileSync(secretsFile, 'utf8')).toContain(encoded);
    expect(readFileSync(bed.daemon!.paths.logFile, 'utf8')).not.toContain(encoded);
    expect(readFileSync(bed.daemon!.paths.database).includes(Buffer.from(encoded))).toBe(false);

    // A restart: same identity, same relay port, the same link works again.
    first.client.close();
    await bed.stop();
    expect(() => process.kill(relayPid, 0)).toThrow();
    await bed.boot();
    const after = await until(() => bed.local.request('relay.status', {}), (reply) => reply.relay.connected, 'the relay back after the restart');
    expect(after.relay).toMatchObject({ url: relay.url, daemonId: relay.daemonId });
    const again = await bed.remote(url);
    expect(await again.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1 }, { number: 2 }] });

    // Disconnect: the relay process stops, links cannot be made, and it stays off across a restart.
    const closed = ended(again);
    expect((await bed.local.request('relay.disconnect', {})).relay).toMatchObject({ enabled: false, connected: false });
    await closed;
    await expect(bed.local.request('link.create', { kind: 'view' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(bed.remote(url, 2000)).rejects.toMatchObject({ kind: expect.stringMatching(/unreachable|closed/) });
    await bed.stop();
    await bed.boot();
    expect((await bed.local.request('relay.status', {})).relay).toMatchObject({ enabled: false, connected: false, embedded: null });
  });

  it('refuses a wrong secret, logs it without the secret, and closes a revoked link within 2 s while others work', async () => {
    await bed.boot();
    await bed.local.request('relay.connect', {});
    const control = await bed.local.request('link.create', { kind: 'control', label: 'alice' });
    const view = await bed.local.request('link.create', { kind: 'view', label: 'phone' });

    const parsed = parseLink(control.url);
    const wrongSecret = randomBytes(32);
    const wrong = formatLink({ ...parsed, secret: wrongSecret });
    await expect(bed.remote(wrong)).rejects.toMatchObject({ name: 'RelayConnectError', code: 4401 });
    const log = readFileSync(bed.daemon!.paths.logFile, 'utf8');
    expect(log).toContain('remote client refused');
    expect(log).not.toContain(Buffer.from(wrongSecret).toString('base64url'));
    expect(log).not.toContain(Buffer.from(parsed.secret).toString('base64url'));

    const alice = await bed.remote(control.url);
    const phone = await bed.remote(view.url);
    const aliceClosed = ended(alice);
    const started = Date.now();
    expect((await bed.local.request('link.revoke', { id: control.link.id })).link).toMatchObject({ revokedAt: expect.any(String), connections: 0 });
    await aliceClosed;
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(bed.remote(control.url)).rejects.toMatchObject({ code: 4403 });
    await expect(bed.local.request('link.revoke', { id: control.link.id })).rejects.toMatchObject({ code: 'conflict' });
    expect(await phone.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1 }] });
  });

  it('lets a view-only link watch a session live and never type into it', async () => {
    await bed.boot();
    await bed.local.request('relay.connect', {});
    const view = await bed.remote((await bed.local.request('link.create', { kind: 'view' })).url);
    const control = await bed.remote((await bed.local.request('link.create', { kind: 'control' })).url);
    expect(view.welcome.access).toBe('view');
    const { session } = await bed.local.request('task.start', { project: 'repo', number: 1 });
    const seen = watch(view.client, session.id);
    await view.client.request('session.attach', { session: session.id, readOnly: true });
    await until(() => seen.text(), (text) => text.includes('Name?'), 'the question through the relay');
    await expect(view.client.request('session.attach', { session: session.id, readOnly: false })).rejects.toMatchObject({ code: 'forbidden' });

    const refused = new Promise((resolve) => view.client.onRefusal(resolve));
    view.client.sendFrame(input(session.id, 'Mallory\r'));
    expect(await refused).toMatchObject({ code: 'forbidden', message: expect.stringContaining('view-only') });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await bed.screen(session.id)).not.toContain('Mallory');

    // The control link's keys do go in, and the viewer sees the answer live.
    await control.client.request('session.attach', { session: session.id });
    control.client.sendFrame(input(session.id, 'Ada\r'));
    await until(() => seen.text(), (text) => text.includes('hello Ada'), 'the answer through the relay');
    expect(await bed.screen(session.id)).not.toContain('Mallory');
  });
});
