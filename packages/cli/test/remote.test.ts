// Remote access through the real CLI: `vibe connect` starts the embedded relay, and a second "machine" (another
// VIBE_HOME with no daemon) drives the first daemon with `vibe --link URL …` — listing, adding, attaching
// through a real pty — with the link's permissions; `vibe links`, revoke, disconnect, doctor and status.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fakeAgent, Sandbox, vibeBin } from './harness.js';
import { hasTmux, TmuxServer } from './tmux.js';

interface LinkJson {
  id: string;
  label: string;
  kind: string;
  connections: number;
  revokedAt: string | null;
  lastSeenAt: string | null;
}
interface ConnectJson {
  relay: { enabled: boolean; connected: boolean; url: string; embedded: { host: string; port: number; pid: number } | null; secretStore: string };
  link: LinkJson;
  url: string;
}

let owner: Sandbox;
let remote: Sandbox;
let repo: string;
let control: ConnectJson;
let view: ConnectJson;

const viaLink = (url: string, args: string[]) => remote.vibe(['--link', url, ...args]);

beforeAll(async () => {
  owner = new Sandbox();
  owner.env.VIBE_SECRET_STORE = 'file';
  owner.configure({ agents: { fake: fakeAgent('print:ready;ask:Name? ;print:hello {answer};ask:Again? ;print:bye {answer};sleep:60000') } });
  repo = owner.repo('app');
  expect((await owner.vibe(['up'], { cwd: repo })).code).toBe(0);
  remote = new Sandbox();
  control = await owner.json<ConnectJson>(['connect', '--label', 'laptop']);
  view = await owner.json<ConnectJson>(['connect', '--read-only', '--label', 'phone']);
}, 60_000);
afterAll(async () => {
  await remote?.dispose();
  await owner?.dispose();
});

describe('vibe connect', () => {
  it('starts the embedded relay on loopback and prints a link whose secret is only in the fragment', async () => {
    expect(control.relay).toMatchObject({ enabled: true, connected: true, secretStore: 'file', embedded: { host: '127.0.0.1' } });
    expect(control.url.startsWith(`${control.relay.url}/#v1.`)).toBe(true);
    expect(view.relay.url).toBe(control.relay.url);
    expect([control.link.kind, view.link.kind]).toEqual(['control', 'view']);
    // Human output: the QR code only on a terminal, the link on stdout as the one line of data.
    const human = await owner.vibe(['connect', '--label', 'spare']);
    expect(human.code).toBe(0);
    expect(human.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(human.stderr).toContain('control link');
    expect(human.stderr).not.toContain('warning');
  });

  it('lists links with --json and as a table, and says where the relay and the secrets are', async () => {
    const { links } = await owner.json<{ links: LinkJson[] }>(['links', 'ls']);
    expect(links.map((link) => link.label).sort()).toEqual(['laptop', 'phone', 'spare']);
    const table = await owner.vibe(['links', 'ls']);
    expect(table.stdout).toMatch(/^ID\s+LABEL\s+KIND\s+CREATED\s+LAST SEEN\s+LIVE/);
    expect(table.stdout).toMatch(/phone\s+view-only/);
    const status = await owner.vibe(['status']);
    expect(status.stdout).toMatch(/relay\s+embedded on 127\.0\.0\.1:\d+, connected, secrets in the 0600 file/);
    // Doctor may fail other checks on this machine (no agent CLIs); its relay line is what counts here.
    const { checks } = JSON.parse((await owner.vibe(['doctor', '--json'])).stdout) as { checks: Array<{ name: string }> };
    expect(checks.find((check) => check.name === 'relay')).toMatchObject({ status: 'pass', detail: expect.stringContaining('connected to embedded relay') });
  });
});

describe('the CLI over a link', () => {
  it('runs listing and change commands on the daemon through the relay', async () => {
    const added = await viaLink(control.url, ['task', 'add', 'from the laptop', '--json']);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ number: 1, title: 'from the laptop' });
    const listed = JSON.parse((await viaLink(control.url, ['task', 'ls', '--json'])).stdout) as { tasks: Array<{ title: string }> };
    expect(listed.tasks.map((task) => task.title)).toEqual(['from the laptop']);
    // The local socket sees the same task: one daemon, two transports.
    expect((await owner.json<{ tasks: unknown[] }>(['task', 'ls'], { cwd: repo })).tasks).toHaveLength(1);
  });

  it('refuses every change through a view-only link and leaves nothing changed', async () => {
    const listed = await viaLink(view.url, ['task', 'ls', '--json']);
    expect(listed.code).toBe(0);
    const before = JSON.parse(listed.stdout) as unknown;
    for (const args of [['task', 'add', 'sneaky'], ['task', 'mv', '1', 'done'], ['task', 'rm', '1', '--force'], ['task', 'start', '1']]) {
      const refused = await viaLink(view.url, args);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringContaining('this link is view-only')]);
    }
    expect(JSON.parse((await viaLink(view.url, ['task', 'ls', '--json'])).stdout)).toEqual(before);
  });

  it('refuses the commands that belong to the daemon machine, and bad links, in one line', async () => {
    for (const command of [['up'], ['down'], ['connect'], ['links', 'ls'], ['logs']]) {
      const refused = await viaLink(control.url, command);
      expect(refused.code, command.join(' ')).toBe(2);
      expect(refused.stderr.trim()).toBe(`vibe: \`vibe ${command.join(' ')}\` runs on the daemon's machine; drop --link (and VIBE_LINK) to use it`);
    }
    const truncated = await viaLink(control.url.slice(0, -5), ['task', 'ls']);
    expect([truncated.code, truncated.stderr.trim()]).toEqual([2, 'vibe: not a vibe link: the secret is malformed (truncated?); copy the whole link `vibe connect` printed']);
    // Right relay and daemon, wrong secret: refused by the daemon, and the secret is in no message.
    const [base, fragment] = control.url.split('#') as [string, string];
    const parts = fragment.split('.');
    const forged = `${base}#${[...parts.slice(0, 3), 'A'.repeat(43)].join('.')}`;
    const wrong = await viaLink(forged, ['task', 'ls']);
    expect([wrong.code, wrong.stderr.trim()]).toEqual([1, 'vibe: cannot reach the daemon through the link: the handshake failed: the link secret is wrong']);
    // A daemon id this relay does not know (valid form, no such daemon): a clear error, retryable.
    const unknown = `${base}#${[parts[0], 'A'.repeat(21) + 'Q', ...parts.slice(2)].join('.')}`;
    const stranger = await viaLink(unknown, ['task', 'ls']);
    expect([stranger.code, stranger.stderr.trim()]).toEqual([69, 'vibe: cannot reach the daemon through the link: the relay does not know this daemon: it is not connected to this relay right now']);
    const nobody = await viaLink(`http://127.0.0.1:1/#${fragment}`, ['task', 'ls']);
    expect([nobody.code, nobody.stderr.trim()]).toEqual([69, 'vibe: cannot reach the daemon through the link: cannot reach the relay at http://127.0.0.1:1']);
    // VIBE_LINK works like --link.
    const env = await remote.vibe(['task', 'ls', '--json'], { env: { VIBE_LINK: view.url } });
    expect(JSON.parse(env.stdout)).toMatchObject({ tasks: [{ title: 'from the laptop' }] });
  });

  it.skipIf(!hasTmux)('attaches to a session through a real pty, types into it, and watches read-only through a view link', async () => {
    const started = await owner.vibe(['task', 'add', 'greet', '--agent', 'fake', '--start'], { cwd: repo });
    expect(started.code).toBe(0);
    const tmux = new TmuxServer(remote.dir, remote.env);
    try {
      tmux.start('laptop', [vibeBin, '--link', control.url, 'attach', '2'], remote.dir);
      await tmux.waitForScreen('laptop', /Name\?/);
      tmux.start('phone', [vibeBin, '--link', view.url, 'attach', '2'], remote.dir);
      await tmux.waitForScreen('phone', /Name\?/);
      tmux.keys('phone', ['Mallory', 'Enter']);
      tmux.keys('laptop', ['Ada', 'Enter']);
      await tmux.waitForScreen('laptop', /hello Ada/);
      const phone = await tmux.waitForScreen('phone', /hello Ada/);
      expect(phone).not.toContain('Mallory');
      expect((await owner.json<{ links: LinkJson[] }>(['links', 'ls'])).links.find((link) => link.label === 'phone')).toMatchObject({ connections: 1 });

      // The relay dies (SIGKILL): the daemon restarts it on the same port, both attaches reconnect on their
      // own, repaint from the daemon's snapshot, and the session goes on being driven and watched.
      const status = JSON.parse((await owner.vibe(['status', '--json'])).stdout) as { relay: { embedded: { pid: number } } };
      process.kill(status.relay.embedded.pid, 'SIGKILL');
      await tmux.waitForScreen('laptop', /reconnecting to app#2 through the relay/, 10_000).catch(() => undefined);
      await tmux.waitForScreen('laptop', /Again\?/, 20_000);
      await tmux.waitForScreen('phone', /reconnecting to app#2 through the relay/, 10_000).catch(() => undefined);
      await tmux.waitForScreen('phone', /Again\?/, 20_000);
      await eventually(async () => {
        const relay = JSON.parse((await owner.vibe(['status', '--json'])).stdout) as { relay: { embedded: { pid: number }; connected: boolean } };
        return relay.relay.connected && relay.relay.embedded.pid !== status.relay.embedded.pid ? true : undefined;
      }, 'a new relay process');
      tmux.keys('laptop', ['Bob', 'Enter']);
      await tmux.waitForScreen('laptop', /bye Bob/);
      await tmux.waitForScreen('phone', /bye Bob/);

      tmux.keys('laptop', ['C-]']);
      await tmux.waitForScreen('laptop', /detached from app#2[\s\S]*\[exit 0\]/);

      // Revoking the phone's link ends its attach within 2 s; the laptop's link keeps working.
      const revokedAt = Date.now();
      expect((await owner.vibe(['links', 'revoke', view.link.id])).code).toBe(0);
      await tmux.waitForScreen('phone', /connection to the daemon was lost[\s\S]*\[exit 69\]/, 5000);
      expect(Date.now() - revokedAt).toBeLessThan(3000);
      expect((await viaLink(view.url, ['task', 'ls'])).stderr.trim()).toBe('vibe: cannot reach the daemon through the link: this link was revoked (or never existed)');
      expect((await viaLink(control.url, ['task', 'ls'])).code).toBe(0);
    } finally {
      tmux.kill();
    }
  });
});

describe('vibe disconnect', () => {
  it('stops the embedded relay; links fail until the next connect, which brings the same port back', async () => {
    const pid = control.relay.embedded!.pid;
    expect((await owner.vibe(['disconnect'])).code).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
    expect((await viaLink(control.url, ['task', 'ls'])).code).toBe(69);
    const again = await owner.json<ConnectJson>(['connect']);
    expect(again.relay.url).toBe(control.relay.url);
    expect((await viaLink(control.url, ['task', 'ls'])).code).toBe(0);
  });
});

describe('vibe relay', () => {
  it('runs the relay server with the options given, and stops it on SIGTERM with exit 0', async () => {
    const bad = await remote.vibe(['relay', '--bogus']);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, 'vibe-relay: unknown option --bogus']);
    const child = spawn(vibeBin, ['relay', '--port', '0'], { env: remote.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no listening line')), 10_000);
      createInterface({ input: child.stdout }).once('line', (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Record<string, unknown>);
      });
    });
    expect(first).toMatchObject({ msg: 'listening', host: '127.0.0.1' });
    const health = (await (await fetch(`${first.url as string}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
