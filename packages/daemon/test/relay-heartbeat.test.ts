// The daemon's relay link against a relay that misbehaves on 127.0.0.1: one that takes the registration and
// then goes silent (no pongs) is terminated and dialled again; one that refuses is retried with jittered,
// growing backoff that starts over once registered. Intervals are shortened so this takes seconds.
import { createServer, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { generateIdentity } from '@vibe/protocol';
import type { Logger } from '../src/logger.js';
import { RelayLink } from '../src/relay/relay-link.js';
import { until } from './daemon-fixture.js';

const HEARTBEAT_MS = 100;
const MIN_BACKOFF_MS = 40;
const MAX_BACKOFF_MS = 2000;
/** How late a timer may fire on a busy two-core machine. */
const SLACK_MS = 150;

type Behaviour = 'silent' | 'answer' | 'refuse';

interface Dial {
  at: number;
  registeredAt?: number;
  closedAt?: number;
  closeCode?: number;
}

/** A relay double: what it does with each connection is `behaviour`, read when the daemon dials. */
class MisbehavingRelay {
  behaviour: Behaviour = 'silent';
  readonly dials: Dial[] = [];
  private readonly server: Server;
  // No automatic pongs: a silent relay must be really silent.
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });

  private constructor() {
    this.server = createServer((_request, response) => response.writeHead(404).end());
    this.server.on('upgrade', (request, socket, head) => {
      const dial: Dial = { at: Date.now() };
      this.dials.push(dial);
      if (this.behaviour === 'refuse') {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        dial.closedAt = Date.now();
        return;
      }
      const answer = this.behaviour === 'answer';
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        ws.on('close', (code) => Object.assign(dial, { closedAt: Date.now(), closeCode: code }));
        if (answer) ws.on('ping', (data) => ws.pong(data));
        ws.send(JSON.stringify({ type: 'challenge', protocol: 1, relay: 'misbehaving', nonce: randomBytes(32).toString('base64url') }));
        ws.once('message', (data: Buffer) => {
          const { publicKey } = JSON.parse(data.toString()) as { publicKey: string };
          const daemonId = createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest().subarray(0, 16).toString('base64url');
          ws.send(JSON.stringify({ type: 'registered', daemonId }));
          dial.registeredAt = Date.now();
        });
      });
    });
  }

  static async start(): Promise<MisbehavingRelay> {
    const relay = new MisbehavingRelay();
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ relay: MisbehavingRelay; link: RelayLink; warnings: string[]; lost: () => number }> {
  const relay = await MisbehavingRelay.start();
  cleanups.push(() => relay.close());
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (msg) => void warnings.push(msg), error() {} };
  let losses = 0;
  const link = new RelayLink({
    relayUrl: relay.url,
    identity: generateIdentity(),
    logger,
    heartbeatMs: HEARTBEAT_MS,
    minBackoffMs: MIN_BACKOFF_MS,
    maxBackoffMs: MAX_BACKOFF_MS,
    events: { open() {}, data() {}, close() {}, lost: () => void losses++ },
  });
  cleanups.push(() => link.dispose());
  return { relay, link, warnings, lost: () => losses };
}

it('terminates a relay that takes the registration and then stops answering pings, and registers again', async () => {
  const { relay, link, warnings, lost } = await setUp();
  await until(() => link.state.connected, Boolean, 'the first registration', 5000, 10);
  relay.behaviour = 'answer';

  // One tick pings, the next finds no pong and terminates: no close frame (1006), two heartbeats or so.
  const first = await until(() => relay.dials[0]!, (dial) => dial.closedAt !== undefined, 'the silent relay to be dropped', 5000, 10);
  expect(first.closeCode).toBe(1006);
  expect(first.closedAt! - first.registeredAt!).toBeGreaterThanOrEqual(2 * HEARTBEAT_MS - 20);
  expect(first.closedAt! - first.registeredAt!).toBeLessThan(2 * HEARTBEAT_MS + 3 * SLACK_MS);
  expect(warnings).toContain('relay stopped answering pings; reconnecting');
  expect(lost()).toBe(1);

  // The first retry comes after the shortest backoff, and registers with the relay that now answers.
  const second = await until(() => relay.dials[1], (dial) => dial?.registeredAt !== undefined, 'the second registration', 5000, 10);
  expect(second!.at - first.closedAt!).toBeGreaterThanOrEqual(MIN_BACKOFF_MS / 2 - 5);
  expect(second!.at - first.closedAt!).toBeLessThan(MIN_BACKOFF_MS + SLACK_MS);
  await until(() => link.state.connected, Boolean, 'connected again', 5000, 10);

  // A relay that answers keeps the link through many heartbeats.
  await new Promise((resolve) => setTimeout(resolve, 12 * HEARTBEAT_MS));
  expect(relay.dials).toHaveLength(2);
  expect(relay.dials[1]!.closedAt).toBeUndefined();
  expect(link.state.connected).toBe(true);
  expect(lost()).toBe(1);
});

it('retries a relay that refuses with jittered, growing backoff, and starts over from the shortest once registered', async () => {
  const { relay, link } = await setUp();
  relay.behaviour = 'refuse';
  const refusals = 8;
  await until(() => relay.dials.length, (dials) => dials >= refusals, `${refusals} refused dials`, 15_000, 10);
  relay.behaviour = 'silent';
  await until(() => link.state.connected, Boolean, 'a registration once the relay accepts', 10_000, 10);
  expect(link.state.lastError).toBeNull();

  // Gap k waits between half the shortest backoff and min·2^k (capped), the jitter spread over that range.
  const gaps = relay.dials.slice(1, refusals).map((dial, k) => ({ k, gap: dial.at - relay.dials[k]!.closedAt! }));
  for (const { k, gap } of gaps) {
    expect(gap, `gap ${k}`).toBeGreaterThanOrEqual(MIN_BACKOFF_MS / 2 - 5);
    expect(gap, `gap ${k}`).toBeLessThan(Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** k) + SLACK_MS);
  }
  // The waits grow: by the fourth refusal a wait of three shortest backoffs is all but certain (p ≈ 1 - 2e-4).
  expect(Math.max(...gaps.slice(3).map(({ gap }) => gap))).toBeGreaterThan(3 * MIN_BACKOFF_MS);

  // Registered, then silent: after the drop the first retry is quick again, not where the refusals left off.
  const registered = relay.dials.length - 1;
  relay.behaviour = 'answer';
  const dropped = await until(() => relay.dials[registered]!, (dial) => dial.closedAt !== undefined, 'the silent relay to be dropped', 5000, 10);
  const next = await until(() => relay.dials[registered + 1], Boolean, 'the next dial', 5000, 10);
  expect(next!.at - dropped.closedAt!).toBeLessThan(MIN_BACKOFF_MS + SLACK_MS);
});
