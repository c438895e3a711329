// Remote access end to end: a real daemon, its embedded relay as a real process (or the tampering relay),
// and clients speaking the E2E channel over real WebSockets on 127.0.0.1 — the protocol-level client the
// CLI's --link and the web view are built on.
import { execFileSync } from 'node:child_process';
import { randomBytes as randomBytesNode } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  connectOverRelay,
  FrameKind,
  parseLink,
  formatLink,
  randomBytes,
  type ControlClient,
  type Frame,
  type RelayConnection,
  type WebSocketConstructor,
} from '@vibe/protocol';
import { connectToDaemon, nodeAead, resolvePaths } from '@vibe/protocol/node';
import { Daemon } from '../src/daemon.js';
import { stopDaemon, until } from './daemon-fixture.js';
import { MemoryClient } from './memory-client.js';
import { TamperingRelay } from './tampering-relay.js';

const fakeAgent = fileURLToPath(new URL('./fixtures/fake-agent.mjs', import.meta.url));
const scriptsDir = fileURLToPath(new URL('../dist', import.meta.url));

let dir: string;
let repo: string;
let daemon: Daemon | undefined;
let local: ControlClient;
const remotes: RelayConnection[] = [];
let tampering: TamperingRelay | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-relay-'));
  repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  writeFileSync(join(repo, 'README.md'), '# repo\n');
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'add', '.']);
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init']);
  mkdirSync(join(dir, 'home', 'config'), { recursive: true });
  const command = ['node', fakeAgent, '--script', 'print:ready;ask:Name? ;print:hello {answer};ask:Again? ;print:bye {answer};sleep:60000'];
  writeFileSync(join(dir, 'home', 'config', 'config.json'), JSON.stringify({ agents: { fake: { command, prompt: 'none', hooks: 'env' } } }));
  process.env.VIBE_SECRET_STORE = 'file';
});

afterEach(async () => {
  for (const remote of remotes.splice(0)) remote.client.close();
  local?.close();
  if (daemon) await stopDaemon(daemon);
  daemon = undefined;
  await tampering?.close();
  tampering = undefined;
  delete process.env.VIBE_SECRET_STORE;
  rmSync(dir, { recursive: true, force: true });
});

async function boot(): Promise<Daemon> {
  const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: join(dir, 'home') }), version: 't', validateResults: true, scriptsDir, relayHeartbeatMs: 500 });
  if (outcome.status !== 'ready') throw new Error('daemon did not start');
  daemon = outcome.daemon;
  local = (await connectToDaemon(daemon.paths.socket, { client: { name: 'test', version: '0' } })).client;
  if (daemon.store.listProjects().length === 0) {
    await local.request('project.register', { path: repo, baseBranch: 'main' });
    await local.request('task.create', { project: 'repo', title: 'Greet', agent: 'fake' });
  }
  return daemon;
}

async function remote(url: string, timeoutMs = 5000): Promise<RelayConnection> {
  const connection = await connectOverRelay(url, {
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    aead: nodeAead,
    binaryType: 'nodebuffer',
    client: { name: 'relay-test', version: '0' },
    timeoutMs,
  });
  remotes.push(connection);
  return connection;
}

/** Collects a client's terminal frames for one session, decoded as text. */
function watch(client: ControlClient, session: number): { text(): string; frames: Frame[] } {
  const frames: Frame[] = [];
  client.onFrame((frame) => {
    if (frame.session === session && (frame.kind === FrameKind.Output || frame.kind === FrameKind.Snapshot)) frames.push(frame);
  });
  return { frames, text: () => frames.map((frame) => Buffer.from(frame.payload).toString('utf8')).join('') };
}

/** What the session's screen holds now, from a fresh attach's snapshot alone (no live output counted twice). */
async function screen(session: number): Promise<string> {
  const { client } = await MemoryClient.ready(daemon!.control, { kind: 'local' });
  await client.request('session.attach', { session, readOnly: true });
  const snapshot = await until(() => client.frames.find((frame) => frame.kind === FrameKind.Snapshot), Boolean, 'a snapshot');
  client.gone();
  return Buffer.from(snapshot!.payload).toString('utf8');
}

function count(text: string, word: string): number {
  return text.split(word).length - 1;
}

function closeCode(connection: RelayConnection): Promise<Error> {
  return new Promise((resolve) => connection.client.onClose(resolve));
}

describe('vibe connect with the embedded relay', () => {
  it('starts its own relay process, serves the same methods through it, and keeps it across a daemon restart', async () => {
    await boot();
    const { relay } = await local.request('relay.connect', {});
    expect(relay).toMatchObject({ enabled: true, connected: true, secretStore: 'file', embedded: { host: '127.0.0.1', pid: expect.any(Number) } });
    expect(relay.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const relayPid = relay.embedded!.pid!;
    expect(relayPid).not.toBe(process.pid);

    const { url, link } = await local.request('link.create', { kind: 'control', label: 'laptop' });
    const parsed = parseLink(url);
    expect(parsed).toMatchObject({ relayUrl: relay.url, daemonId: relay.daemonId, linkId: link.id });
    // The secret is in the fragment only.
    expect(new URL(url).hash.length).toBeGreaterThan(40);
    expect(url.split('#')[0]).not.toContain(Buffer.from(parsed.secret).toString('base64url'));

    const first = await remote(url);
    expect(first.welcome).toMatchObject({ access: 'control', daemonId: relay.daemonId });
    expect(await first.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1, title: 'Greet' }] });
    expect(await first.client.request('task.create', { project: 'repo', title: 'From afar' })).toMatchObject({ task: { number: 2 } });
    // Only the daemon's machine manages links, whatever the link.
    await expect(first.client.request('link.create', { kind: 'control' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await local.request('link.list', {})).links).toMatchObject([{ id: link.id, label: 'laptop', kind: 'control', connections: 1 }]);

    // Secrets never land in the database or the logs; the file store is 0600.
    const secretsFile = join(dir, 'home', 'data', 'secrets.json');
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    const encoded = Buffer.from(parsed.secret).toString('base64url');
    expect(readFileSync(secretsFile, 'utf8')).toContain(encoded);
    expect(readFileSync(daemon!.paths.logFile, 'utf8')).not.toContain(encoded);
    expect(readFileSync(daemon!.paths.database).includes(Buffer.from(encoded))).toBe(false);

    // A restart: same identity, same relay port, the same link works again.
    first.client.close();
    local.close();
    await stopDaemon(daemon!);
    daemon = undefined;
    expect(() => process.kill(relayPid, 0)).toThrow();
    await boot();
    const after = await until(() => local.request('relay.status', {}), (reply) => reply.relay.connected, 'the relay back after the restart');
    expect(after.relay).toMatchObject({ url: relay.url, daemonId: relay.daemonId });
    const again = await remote(url);
    expect(await again.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1 }, { number: 2 }] });

    // Disconnect: the relay process stops, links cannot be made, and it stays off across a restart.
    const closed = closeCode(again);
    expect((await local.request('relay.disconnect', {})).relay).toMatchObject({ enabled: false, connected: false });
    await closed;
    await expect(local.request('link.create', { kind: 'view' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(remote(url, 2000)).rejects.toMatchObject({ kind: expect.stringMatching(/unreachable|closed/) });
  });

  it('refuses a wrong secret, logs it without the secret, and closes a revoked link within 2 s while others work', async () => {
    await boot();
    await local.request('relay.connect', {});
    const control = await local.request('link.create', { kind: 'control', label: 'alice' });
    const view = await local.request('link.create', { kind: 'view', label: 'phone' });

    const parsed = parseLink(control.url);
    const wrongSecret = randomBytes(32);
    const wrong = formatLink({ ...parsed, secret: wrongSecret });
    await expect(remote(wrong)).rejects.toMatchObject({ name: 'RelayConnectError', code: 4401 });
    const log = readFileSync(daemon!.paths.logFile, 'utf8');
    expect(log).toContain('remote client refused');
    expect(log).not.toContain(Buffer.from(wrongSecret).toString('base64url'));
    expect(log).not.toContain(Buffer.from(parsed.secret).toString('base64url'));

    const alice = await remote(control.url);
    const phone = await remote(view.url);
    const aliceClosed = closeCode(alice);
    const started = Date.now();
    expect((await local.request('link.revoke', { id: control.link.id })).link).toMatchObject({ revokedAt: expect.any(String), connections: 0 });
    await aliceClosed;
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(remote(control.url)).rejects.toMatchObject({ code: 4403 });
    await expect(local.request('link.revoke', { id: control.link.id })).rejects.toMatchObject({ code: 'conflict' });
    expect(await phone.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1 }] });
  });

  it('lets a view-only link watch a session live and never type into it', async () => {
    await boot();
    await local.request('relay.connect', {});
    const view = await remote((await local.request('link.create', { kind: 'view' })).url);
    const control = await remote((await local.request('link.create', { kind: 'control' })).url);
    expect(view.welcome.access).toBe('view');
    const { session } = await local.request('task.start', { project: 'repo', number: 1 });
    const seen = watch(view.client, session.id);
    await view.client.request('session.attach', { session: session.id, readOnly: true });
    await until(() => seen.text(), (text) => text.includes('Name?'), 'the question through the relay');
    await expect(view.client.request('session.attach', { session: session.id, readOnly: false })).rejects.toMatchObject({ code: 'forbidden' });

    const refused = new Promise((resolve) => view.client.onRefusal(resolve));
    view.client.sendFrame({ kind: FrameKind.Input, session: session.id, seq: 0, payload: Buffer.from('Mallory\r') });
    expect(await refused).toMatchObject({ code: 'forbidden', message: expect.stringContaining('view-only') });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await screen(session.id)).not.toContain('Mallory');

    // The control link's keys do go in, and the viewer sees the answer live.
    await control.client.request('session.attach', { session: session.id });
    control.client.sendFrame({ kind: FrameKind.Input, session: session.id, seq: 0, payload: Buffer.from('Ada\r') });
    await until(() => seen.text(), (text) => text.includes('hello Ada'), 'the answer through the relay');
    expect(await screen(session.id)).not.toContain('Mallory');
  });
});

describe('a relay that tampers', () => {
  async function throughTampering(): Promise<{ url: string; session: number }> {
    tampering = await TamperingRelay.start();
    await boot();
    await local.request('relay.connect', { relay: tampering.url });
    await until(() => tampering!.registered, Boolean, 'the daemon to register');
    const { url } = await local.request('link.create', { kind: 'control' });
    const { session } = await local.request('task.start', { project: 'repo', number: 1 });
    return { url, session: session.id };
  }

  it('cannot replay an input record: the copy is refused and zero bytes of it reach the session', async () => {
    const { url, session } = await throughTampering();
    const client = await remote(url);
    await client.client.request('session.attach', { session });
    const seen = watch(client.client, session);
    await until(() => seen.text(), (text) => text.includes('Name?'), 'the question');
    let replay = false;
    tampering!.tamper = (message, info) => {
      if (info.direction !== 'to_daemon' || !replay) return undefined;
      replay = false;
      return [message, message];
    };
    const ended = closeCode(client);
    replay = true;
    client.client.sendFrame({ kind: FrameKind.Input, session, seq: 0, payload: Buffer.from('Ada\r') });
    await ended;
    await until(() => screen(session), (text) => text.includes('hello Ada'), 'the one answer');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const text = await screen(session);
    // Once typed ("Name? Ada"), once answered ("hello Ada"); a replayed copy would have answered "Again?".
    expect(count(text, 'Ada')).toBe(2);
    expect(text).not.toContain('bye');
    expect(tampering!.closeRequests.at(-1)).toMatchObject({ code: 4401 });
  });

  it.each(['to_daemon', 'to_client'] as const)('detects a flipped bit %s and closes that connection only', async (direction) => {
    const { url } = await throughTampering();
    const bystander = await remote(url);
    const victim = await remote(url);
    let flip = false;
    tampering!.tamper = (message, info) => {
      if (info.direction !== direction || !flip || info.conn === 1) return undefined;
      flip = false;
      const copy = Buffer.from(message);
      copy[copy.length - 3]! ^= 0x01;
      return [copy];
    };
    const ended = closeCode(victim);
    flip = true;
    await expect(victim.client.request('task.list', { project: 'repo' })).rejects.toBeDefined();
    await ended;
    expect(await bystander.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1 }] });
  });

  it('takes 10,000 fuzzed relay messages and records without a crash, an unhandled rejection or a leak', async () => {
    const { url } = await throughTampering();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const victim = await remote(url);
      const victimClosed = closeCode(victim);
      const heap = async (): Promise<number> => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        globalThis.gc?.();
        return process.memoryUsage().heapUsed / 2 ** 20;
      };
      const before = await heap();
      const header = (op: number, conn: number, payload: Buffer): Buffer => {
        const out = Buffer.alloc(5 + payload.length);
        out[0] = op;
        out.writeUInt32BE(conn, 1);
        payload.copy(out, 5);
        return out;
      };
      for (let i = 0; i < 10_000; i++) {
        const pick = i % 7;
        // Routing messages for made-up and real conns, hellos and records of random bytes, junk and text.
        const message =
          pick === 0
            ? header(1, 1000 + (i % 300), Buffer.alloc(0))
            : pick === 1
              ? header(2, 1000 + (i % 300), randomBytesNode(1 + (i % 200)))
              : pick === 2
                ? header(3, 1000 + (i % 300), randomBytesNode(i % 5))
                : pick === 3
                  ? header(2, 1, randomBytesNode(1 + (i % 300)))
                  : pick === 4
                    ? randomBytesNode(i % 6)
                    : pick === 5
                      ? header(2 + (i % 3) * 4, i, randomBytesNode(i % 40))
                      : JSON.stringify({ type: 'registered', daemonId: 'x' });
        tampering!.inject(message);
        if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
      }
      // The real client's records were forged among them: it is refused, and a fresh one is served.
      await victimClosed;
      const fresh = await until(() => remote(url).catch(() => undefined), Boolean, 'a fresh client served after the fuzz');
      expect(await fresh!.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1 }] });
      expect(rejections).toEqual([]);
      const after = await heap();
      expect(after - before).toBeLessThan(30);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  }, 60_000);

  it('cannot pass off another daemon: a link pinning another key fails as wrong-daemon', async () => {
    const { url } = await throughTampering();
    const parsed = parseLink(url);
    // Same relay, same link id and secret, but the daemon id the client pins is another key's.
    const other = formatLink({ ...parsed, daemonId: 'AAAAAAAAAAAAAAAAAAAAAA' });
    await expect(remote(other, 2000)).rejects.toBeDefined();
  });
});
