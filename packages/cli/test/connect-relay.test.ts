// Where `vibe connect` puts the relay, through the real CLI: a remote relay (a separately started `vibe relay`
// process) that the daemon keeps across its own restarts until `vibe disconnect`, and stays off after; and the
// embedded relay exposed on every interface with --host 0.0.0.0, which says so in one line.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, Sandbox, vibeBin } from './harness.js';

interface RelayJson {
  enabled: boolean;
  connected: boolean;
  url: string | null;
  daemonId: string;
  embedded: { host: string; port: number; pid: number | null } | null;
}

let remote: Sandbox;

beforeAll(() => {
  // The second machine: a home of its own and no daemon; it reaches the daemons only through links.
  remote = new Sandbox();
});
afterAll(async () => {
  await remote?.dispose();
});

/** A daemon's machine: a sandbox with the file secret store (no keychain here), a repo and `vibe up`. */
async function daemonMachine(): Promise<{ owner: Sandbox; repo: string }> {
  const owner = new Sandbox();
  owner.env.VIBE_SECRET_STORE = 'file';
  const repo = owner.repo('app');
  const up = await owner.vibe(['up'], { cwd: repo });
  expect(up.code, up.stderr).toBe(0);
  return { owner, repo };
}

async function relayStatus(owner: Sandbox): Promise<RelayJson> {
  return (await owner.json<{ relay: RelayJson }>(['status'])).relay;
}

/** `vibe relay --port 0` as its own process; resolves with its URL once it listens. */
async function startRelay(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(vibeBin, ['relay', '--port', '0'], { env: remote.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the relay printed no listening line')), 10_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg !== 'listening') return;
      clearTimeout(timer);
      resolve(entry.url!);
    });
  });
  return { url, child };
}

describe('vibe connect --relay URL', () => {
  let owner: Sandbox;
  let repo: string;
  let relay: { url: string; child: ChildProcess };

  beforeAll(async () => {
    ({ owner, repo } = await daemonMachine());
    relay = await startRelay();
  }, 60_000);
  afterAll(async () => {
    await owner?.dispose();
    if (relay && relay.child.exitCode === null) {
      const exited = new Promise((resolve) => relay.child.once('exit', resolve));
      relay.child.kill('SIGTERM');
      await exited;
    }
  });

  const daemonsAtRelay = async (): Promise<number> => ((await (await fetch(`${relay.url}/healthz`)).json()) as { daemons: number }).daemons;

  it('keeps the relay across vibe down and vibe up until vibe disconnect, and stays off across a restart after it', async () => {
    const connected = await owner.json<{ relay: RelayJson; url: string }>(['connect', '--relay', relay.url, '--label', 'laptop']);
    expect(connected.relay).toMatchObject({ enabled: true, connected: true, url: relay.url, embedded: null });
    expect(connected.url.startsWith(`${relay.url}/#v1.`)).toBe(true);
    const link = connected.url;
    expect((await owner.vibe(['task', 'add', 'Kept across restarts'], { cwd: repo })).code).toBe(0);
    const listed = await remote.vibe(['--link', link, 'task', 'ls', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ tasks: [{ number: 1, title: 'Kept across restarts' }] });

    // Down: the relay no longer knows the daemon, and says so to the link.
    expect((await owner.vibe(['down'])).code).toBe(0);
    await eventually(async () => ((await daemonsAtRelay()) === 0 ? true : undefined), 'the relay to see the daemon go');
    const away = await remote.vibe(['--link', link, 'task', 'ls']);
    expect([away.code, away.stderr.trim()]).toEqual([69, 'vibe: cannot reach the daemon through the link: the relay does not know this daemon: it is not connected to this relay right now']);

    // Up: the daemon dials the same relay again by itself, with the same identity, and the same link works.
    expect((await owner.vibe(['up'], { cwd: repo })).code).toBe(0);
    const back = await eventually(async () => {
      const status = await relayStatus(owner);
      return status.connected ? status : undefined;
    }, 'the relay connection back after vibe up');
    expect(back).toMatchObject({ enabled: true, url: relay.url, daemonId: connected.relay.daemonId, embedded: null });
    const again = await remote.vibe(['--link', link, 'task', 'ls', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ tasks: [{ number: 1, title: 'Kept across restarts' }] });

    // Disconnect: off now, and still off after another restart; the relay keeps running for others.
    expect((await owner.vibe(['disconnect'])).code).toBe(0);
    expect(await relayStatus(owner)).toMatchObject({ enabled: false, connected: false, url: null });
    await eventually(async () => ((await daemonsAtRelay()) === 0 ? true : undefined), 'the relay to see the daemon leave');
    expect((await remote.vibe(['--link', link, 'task', 'ls'])).code).toBe(69);
    expect((await owner.vibe(['down'])).code).toBe(0);
    expect((await owner.vibe(['up'], { cwd: repo })).code).toBe(0);
    // Long enough for a reconnect to have happened had the daemon kept the relay.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await relayStatus(owner)).toMatchObject({ enabled: false, connected: false, url: null });
    expect(await daemonsAtRelay()).toBe(0);
    const still = await remote.vibe(['--link', link, 'task', 'ls']);
    expect([still.code, still.stderr.trim()]).toEqual([69, 'vibe: cannot reach the daemon through the link: the relay does not know this daemon: it is not connected to this relay right now']);
  });
});

describe('vibe connect --host 0.0.0.0', () => {
  let owner: Sandbox;

  beforeAll(async () => {
    ({ owner } = await daemonMachine());
  }, 60_000);
  afterAll(async () => {
    await owner?.dispose();
  });

  it('runs the embedded relay on every interface, warns in one line, and advertises this machine’s LAN address', async () => {
    const result = await owner.vibe(['connect', '--host', '0.0.0.0']);
    expect(result.code, result.stderr).toBe(0);
    const status = await relayStatus(owner);
    expect(status).toMatchObject({ enabled: true, connected: true, embedded: { host: '0.0.0.0', port: expect.any(Number) } });
    const port = status.embedded!.port;

    // The warning: one line of its own, first, naming the address and port.
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `warning: the embedded relay listens on 0.0.0.0:${port}, reachable from the network — traffic is end-to-end encrypted, but anyone there can reach the relay (use --relay with TLS for the internet)`,
    );
    expect(lines.filter((line) => line.includes('warning'))).toHaveLength(1);

    // The kernel's listening sockets: one on the wildcard address at that port (not only on loopback).
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((row) => row.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A')
      .map((fields) => fields[1]);
    expect(listening).toContain(`00000000:${hexPort}`);

    // The link names an address other machines can use: a non-loopback IPv4 of this machine, when it has one.
    const link = result.stdout.trim();
    const advertised = new URL(link.split('#')[0]!);
    const lan = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address?.family === 'IPv4' && !address.internal)
      .map((address) => address!.address);
    if (lan.length > 0) expect(lan).toContain(advertised.hostname);
    else expect(advertised.hostname).toBe('127.0.0.1');
    expect(advertised.port).toBe(String(port));

    // Reached through 127.0.0.1 (these tests stay on loopback), the same link works.
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string; daemons: number };
    expect(health).toMatchObject({ status: 'ok', daemons: 1 });
    const viaLoopback = link.replace(`//${advertised.host}/`, `//127.0.0.1:${port}/`);
    if (lan.length > 0) expect(viaLoopback).not.toBe(link);
    const listed = await remote.vibe(['--link', viaLoopback, 'task', 'ls', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ tasks: [] });
  });
});

describe('two first `vibe connect`s at once', () => {
  let owner: Sandbox;

  beforeAll(async () => {
    ({ owner } = await daemonMachine());
  }, 60_000);
  afterAll(async () => {
    await owner?.dispose();
  });

  it('both succeed, on the one embedded relay, each with a link of its own', async () => {
    const results = await Promise.all([owner.vibe(['connect', '--json', '--label', 'a']), owner.vibe(['connect', '--json', '--label', 'b'])]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const [a, b] = results.map((result) => JSON.parse(result.stdout) as { url: string; link: { id: string } });
    expect(new URL(a!.url).origin).toBe(new URL(b!.url).origin);
    expect(a!.link.id).not.toBe(b!.link.id);
    const status = await relayStatus(owner);
    expect(status).toMatchObject({ enabled: true, connected: true });
    expect(new URL(a!.url).port).toBe(String(status.embedded!.port));
  });
});
