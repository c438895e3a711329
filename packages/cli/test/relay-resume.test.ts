// Terminal resume through the relay, with real processes: a session prints 10,000 numbered lines while the
// relay under `vibe --link … attach` is killed with SIGKILL — the daemon's embedded relay, then one of two
// relays sharing a real redis-server behind one address — and every client's bytes must equal the daemon's
// own numbering of the stream: no gap, no duplicate, no silent repaint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fakeAgentPath, Sandbox } from './harness.js';
import { countingScript, firstDifference, numberedLines, PtyVibe, sha256, startRedis, startRelay, stopStarted, StreamRecorder, TcpBalancer, type ChildServer } from './relay-fixtures.js';

const LINES = 10_000;
/** 200 steps of 50 lines 40 ms apart: about 8 s of output, longer than a relay restart takes. */
const SCRIPT = countingScript(LINES, 50, 40);
const EVERY_LINE = Array.from({ length: LINES }, (_, i) => i + 1);
/** A full reset: how the first attach's Snapshot of a pty-hosted session begins, before it replays the stream. */
const RIS = Buffer.from('\x1bc', 'latin1');

interface ConnectJson {
  relay: { url: string; connected: boolean; connectedAt: string | null; embedded: { pid: number } | null };
  url: string;
}
interface StatusJson {
  relay: ConnectJson['relay'];
}

/**
 * A daemon whose sessions run under node-pty, so the stream is the agent's own output, with one counting
 * agent. Its script is too long for an argument in the config, so the fake agent reads it from the
 * environment the daemon passes on.
 */
async function startOwner(): Promise<{ owner: Sandbox; repo: string }> {
  const owner = new Sandbox();
  owner.env.VIBE_SECRET_STORE = 'file';
  owner.configure({ agents: { counter: { command: [process.execPath, fakeAgentPath], prompt: 'none', hooks: 'env' } } });
  const repo = owner.repo('app');
  const up = await owner.vibe(['up'], { cwd: repo, env: { VIBE_SESSION_HOST: 'pty', FAKE_AGENT_SCRIPT: SCRIPT } });
  if (up.code !== 0) throw new Error(`vibe up failed: ${up.stderr}`);
  return { owner, repo };
}

/** Adds and starts a task with the counting agent; its number (to attach by) and its session's id. */
async function startCounting(owner: Sandbox, repo: string): Promise<{ task: string; session: number }> {
  const started = await owner.json<{ task: { number: number }; session: { id: number } }>(['task', 'add', 'count', '--agent', 'counter', '--start'], { cwd: repo });
  return { task: String(started.task.number), session: started.session.id };
}

/** The link `url` with its relay swapped for `base` (the secret stays in the fragment). */
const through = (url: string, base: string): string => `${base}${url.slice(url.indexOf('/#'))}`;

const lastLine = (client: PtyVibe): number => numberedLines(client.text()).at(-1) ?? 0;

/** Both clients attach, the control one answers `go`, and the count runs until `atLine`. */
async function attachAndCount(clients: PtyVibe[], atLine: number): Promise<void> {
  for (const client of clients) await client.waitFor((text) => text.includes('go? '), 'the attach to show the prompt');
  clients[0]!.type('go\r');
  await clients[0]!.waitFor(() => lastLine(clients[0]!) >= atLine, `line ${atLine}`);
}

/** Waits for the end of the count in every client, detaches each with Ctrl-] and checks it exited 0. */
async function finish(clients: PtyVibe[], recorder: StreamRecorder): Promise<Buffer> {
  for (const client of clients) await client.waitFor((text) => /done\? /.test(text.slice(-200)), 'the count to end', 60_000);
  await eventually(async () => (recorder.bytes.includes('done? ') ? true : undefined), "the daemon's stream to end");
  for (const client of clients) client.type('\x1d');
  for (const client of clients) expect(await Promise.race([client.exited, new Promise((resolve) => setTimeout(resolve, 10_000, 'still running'))])).toBe(0);
  return recorder.bytes;
}

/**
 * What a user's terminal received is the daemon's stream: one Snapshot (a reset and the output held so far)
 * where the attach began, then every Output byte exactly once — across the outage, resumed by sequence.
 */
function expectTheStream(client: PtyVibe, stream: Buffer, who: string): void {
  const received = client.sessionBytes();
  expect(received, `${who}: the terminal was given back and repainted instead of resuming`).toBeDefined();
  const expected = Buffer.concat([RIS, stream]);
  expect(firstDifference(received!, expected), who).toBeUndefined();
  expect(sha256(received!), who).toBe(sha256(expected));
  expect(numberedLines(received!.toString('latin1')), who).toEqual(EVERY_LINE);
}

describe('a relay killed with SIGKILL while a session prints 10,000 numbered lines', () => {
  let owner: Sandbox;
  let repo: string;
  let remote: Sandbox;
  const clients: PtyVibe[] = [];
  let recorder: StreamRecorder | undefined;
  beforeAll(async () => {
    ({ owner, repo } = await startOwner());
    remote = new Sandbox();
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.kill();
    recorder?.close();
    await remote?.dispose();
    await owner?.dispose();
  });

  it('resumes every client from its last sequence number, and what each received equals the daemon\'s stream', async () => {
    const control = await owner.json<ConnectJson>(['connect', '--label', 'laptop']);
    const view = await owner.json<ConnectJson>(['connect', '--read-only', '--label', 'phone']);
    const { task, session } = await startCounting(owner, repo);
    recorder = await StreamRecorder.start(owner.env, session);
    clients.push(new PtyVibe(['--link', control.url, 'attach', task], remote.env, remote.dir));
    clients.push(new PtyVibe(['--link', view.url, 'attach', task], remote.env, remote.dir));
    await attachAndCount(clients, 2000);

    const killed = control.relay.embedded!.pid;
    const streamAtKill = recorder.length;
    process.kill(killed, 'SIGKILL');
    await eventually(async () => {
      const { relay } = await owner.json<StatusJson>(['status']);
      return relay.connected && relay.embedded?.pid !== killed ? true : undefined;
    }, 'the daemon to restart its relay and reconnect');
    // The agent went on printing while the relay was away, and is still printing: the clients resume mid-stream.
    expect(recorder.length).toBeGreaterThan(streamAtKill);
    expect(Math.max(...clients.map(lastLine))).toBeLessThan(LINES);

    const stream = await finish(clients, recorder);
    expectTheStream(clients[0]!, stream, 'the control link');
    expectTheStream(clients[1]!, stream, 'the view-only link');
  }, 120_000);
});

describe('two relays on one redis-server, behind one address', () => {
  let redis: ChildServer;
  let relayA: ChildServer;
  let relayB: ChildServer;
  let balancer: TcpBalancer;
  let owner: Sandbox;
  let repo: string;
  let remote: Sandbox;
  const clients: PtyVibe[] = [];
  let recorder: StreamRecorder | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    const args = ['--redis', redis.url, '--heartbeat-ms', '500'];
    [relayA, relayB] = await Promise.all([startRelay(args), startRelay(args)]);
    // New connections go to B while it lives, then to A: the way a load balancer fails over.
    balancer = new TcpBalancer([relayB.port, relayA.port]);
    await balancer.listen();
    ({ owner, repo } = await startOwner());
    remote = new Sandbox();
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.kill();
    recorder?.close();
    await balancer?.close();
    await remote?.dispose();
    await owner?.dispose();
    await stopStarted();
  });

  it('serves `vibe --link … task ls` to a client on relay B from the daemon on relay A', async () => {
    const control = await owner.json<ConnectJson>(['connect', '--relay', relayA.url, '--label', 'laptop']);
    expect(control.relay).toMatchObject({ url: relayA.url, connected: true, embedded: null });
    await owner.json(['task', 'add', 'listed from afar'], { cwd: repo });
    const listed = await remote.vibe(['--link', through(control.url, balancer.url), 'task', 'ls', '--json']);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ tasks: [{ number: 1, title: 'listed from afar' }] });
    expect(balancer.routed).toEqual([relayB.port]);
  });

  it('moves the clients of a killed relay B to relay A, resuming by sequence, while the daemon stays on A', async () => {
    const { url } = await owner.json<ConnectJson>(['connect', '--label', 'tablet']);
    const { url: viewUrl } = await owner.json<ConnectJson>(['connect', '--read-only', '--label', 'phone']);
    const { task, session } = await startCounting(owner, repo);
    recorder = await StreamRecorder.start(owner.env, session);
    const before = (await owner.json<StatusJson>(['status'])).relay;
    clients.push(new PtyVibe(['--link', through(url, balancer.url), 'attach', task], remote.env, remote.dir));
    clients.push(new PtyVibe(['--link', through(viewUrl, balancer.url), 'attach', task], remote.env, remote.dir));
    await attachAndCount(clients, 2000);
    const routedBeforeKill = balancer.routed.length;
    expect(balancer.routed.slice(-2)).toEqual([relayB.port, relayB.port]);

    await relayB.kill('SIGKILL');
    expect(Math.max(...clients.map(lastLine))).toBeLessThan(LINES);
    const stream = await finish(clients, recorder);
    // Each client's reconnect was refused by B's dead port and went on to A.
    expect(balancer.routed.slice(routedBeforeKill)).toContain(relayA.port);
    expect(balancer.routed.slice(routedBeforeKill)).not.toContain(relayB.port);
    expectTheStream(clients[0]!, stream, 'the control link');
    expectTheStream(clients[1]!, stream, 'the view-only link');

    // The daemon's own connection to A never dropped, and the CLI keeps working through the one address.
    expect((await owner.json<StatusJson>(['status'])).relay).toMatchObject({ connected: true, connectedAt: before.connectedAt, url: relayA.url });
    const listed = await remote.vibe(['--link', through(url, balancer.url), 'task', 'ls', '--json']);
    expect(listed.code).toBe(0);
    expect(balancer.routed.at(-1)).toBe(relayA.port);
  }, 120_000);
});
