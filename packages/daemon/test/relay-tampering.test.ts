// What a compromised relay can do to a real daemon and its clients: flip bits, replay, reorder and drop the
// records it forwards. Each is detected on the side that receives it, that connection ends, nothing it did not
// verify reaches a session or a client, and the daemon goes on serving everyone else.
import { randomBytes as randomBytesNode } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameKind, formatLink, parseLink, type RelayConnection } from '@vibe/protocol';
import { until } from './daemon-fixture.js';
import { count, ended, input, RelayBed, sleep, watch } from './relay-fixture.js';
import { TamperingRelay, type Meddling } from './tampering-relay.js';

let bed: RelayBed;
let tampering: TamperingRelay;

beforeEach(async () => {
  bed = new RelayBed();
  tampering = await TamperingRelay.start();
});

afterEach(async () => {
  await bed.dispose();
  await tampering.close();
});

/** The daemon behind the tampering relay, a control link, and task 1's session started and asking its first question. */
async function throughTampering(): Promise<{ url: string; session: number }> {
  await bed.boot();
  await bed.local.request('relay.connect', { relay: tampering.url });
  await until(() => tampering.registered, Boolean, 'the daemon to register');
  const { url } = await bed.local.request('link.create', { kind: 'control' });
  const { session } = await bed.local.request('task.start', { project: 'repo', number: 1 });
  await until(() => bed.screen(session.id), (text) => text.includes('Name?'), 'the first question');
  return { url, session: session.id };
}

/** A client that was never tampered with still lists tasks, and a new one gets in. */
async function othersStillServed(bystander: RelayConnection, url: string): Promise<void> {
  expect(await bystander.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1 }] });
  const fresh = await bed.remote(url);
  expect(await fresh.client.request('task.list', { project: 'repo' })).toMatchObject({ tasks: [{ number: 1 }] });
}

describe('records toward the daemon', () => {
  it('cannot replay an input record: the copy is refused and zero bytes of it reach the session', async () => {
    const { url, session } = await throughTampering();
    const client = await bed.remote(url);
    await client.client.request('session.attach', { session });
    const closed = ended(client);
    const meddled = tampering.meddle(tampering.latestConn, 'to_daemon', 'replay');
    client.client.sendFrame(input(session, 'Ada\r'));
    await meddled;
    await closed;
    await until(() => bed.screen(session), (text) => text.includes('hello Ada'), 'the one answer');
    await sleep(300);
    const text = await bed.screen(session);
    // Once typed ("Name? Ada"), once answered ("hello Ada"); a replayed copy would have answered "Again?".
    expect(count(text, 'Ada')).toBe(2);
    expect(text).not.toContain('bye');
    expect(tampering.closeRequests.at(-1)).toMatchObject({ code: 4401 });
  });

  it.each(['reorder', 'drop'] as const)('cannot %s input records: the connection closes and zero bytes of either reach the session', async (how: Meddling) => {
    const { url, session } = await throughTampering();
    const bystander = await bed.remote(url);
    const victim = await bed.remote(url);
    const conn = tampering.latestConn;
    await victim.client.request('session.attach', { session });
    const closed = ended(victim);
    const meddled = tampering.meddle(conn, 'to_daemon', how);
    victim.client.sendFrame(input(session, 'Ada\r'));
    victim.client.sendFrame(input(session, 'Bob\r'));
    await meddled;
    // The daemon had the relay close this client, and the client says why.
    expect(await closed).toMatchObject({ name: 'RelayConnectError', code: 4401 });
    expect(tampering.closeRequests).toContainEqual({ conn, code: 4401, reason: 'authentication failed' });
    await sleep(300);
    const text = await bed.screen(session);
    expect(text).toContain('Name?');
    expect(text).not.toMatch(/Ada|Bob/);
    await othersStillServed(bystander, url);
    // The session is unharmed: a client the relay left alone types the answer.
    await bystander.client.request('session.attach', { session });
    bystander.client.sendFrame(input(session, 'Cy\r'));
    await until(() => bed.screen(session), (screen) => screen.includes('hello Cy'), 'the bystander’s answer');
    expect(await bed.screen(session)).not.toMatch(/Ada|Bob/);
  });
});

describe('records toward the client', () => {
  /**
   * A victim watching the session through the tampering relay, a bystander, and the truth: the session's
   * output on the local socket, which types. `typeSlowly` sends one key at a time, each echoed before the
   * next, so the daemon sends the victim a record per echo while the relay does `how` to them.
   */
  async function watchedVictim(how: Meddling) {
    const { url, session } = await throughTampering();
    const bystander = await bed.remote(url);
    await bed.local.request('session.attach', { session });
    const truth = watch(bed.local, session);
    const victim = await bed.remote(url);
    const conn = tampering.latestConn;
    const seen = watch(victim.client, session);
    await victim.client.request('session.attach', { session, readOnly: true });
    await until(() => seen.text(), (text) => text.includes('Name?'), 'the question on the victim');
    const typeSlowly = async (): Promise<void> => {
      const meddled = tampering.meddle(conn, 'to_client', how);
      for (const key of ['A', 'd', 'a', '\r']) {
        const before = truth.text().length;
        bed.local.sendFrame(input(session, key));
        await until(() => truth.text().length, (length) => length > before, `the echo of ${JSON.stringify(key)}`);
      }
      await meddled;
    };
    return { url, bystander, truth, victim, conn, seen, typeSlowly };
  }

  it.each(['reorder', 'drop', 'replay'] as const)(
    'detects a %s of output records: the client ends the connection and its screen got only the stream as the daemon sent it',
    async (how: Meddling) => {
      const { url, bystander, truth, victim, conn, seen, typeSlowly } = await watchedVictim(how);
      const closed = ended(victim);
      await typeSlowly();
      const error = await closed;
      expect(error).toMatchObject({ name: 'RelayConnectError', message: expect.stringMatching(/failed authentication \(altered, replayed, reordered or dropped\)/) });
      // The client, not the relay, ended it: its socket closed with 4401, and the daemon let the connection go.
      await until(() => tampering.clientCloses.find((close) => close.conn === conn), Boolean, 'the victim’s socket to close');
      expect(tampering.clientCloses.find((close) => close.conn === conn)).toEqual({ conn, code: 4401 });
      await until(async () => (await bed.local.request('link.list', {})).links[0]!.connections, (connections) => connections === 1, 'the daemon to drop the victim');

      // Everything the victim's screen received is the daemon's stream, in order, with no gap and no copy.
      const sent = new Map(truth.frames.filter((frame) => frame.kind === FrameKind.Output).map((frame) => [frame.seq, Buffer.from(frame.payload)]));
      let next = seen.frames[0]!.seq;
      for (const frame of seen.frames) {
        if (frame.kind === FrameKind.Snapshot) continue;
        expect(frame.seq).toBe(next);
        expect(Buffer.from(frame.payload).equals(sent.get(frame.seq) ?? Buffer.alloc(0))).toBe(true);
        next = frame.seq + frame.payload.length;
      }
      await othersStillServed(bystander, url);
    },
  );

  // The relay holds back a genuine record and sends it after one that fails: the client must not deliver it
  // once it has reported the break (its close handshake with the relay can take up to 30 s).
  it('delivers nothing after it reports the break, not even a genuine record the relay held back', async () => {
    const { victim, seen, typeSlowly } = await watchedVictim('reorder');
    let framesAtBreak: number | undefined;
    victim.client.onClose(() => (framesAtBreak = seen.frames.length));
    const closed = ended(victim);
    await typeSlowly();
    await closed;
    await sleep(200);
    expect(seen.frames.length).toBe(framesAtBreak);
  });
});

describe('bits and junk', () => {
  it.each(['to_daemon', 'to_client'] as const)('detects a flipped bit %s and closes that connection only', async (direction) => {
    const { url } = await throughTampering();
    const bystander = await bed.remote(url);
    const victim = await bed.remote(url);
    const conn = tampering.latestConn;
    tampering.tamper = (message, info) => {
      if (info.direction !== direction || info.conn !== conn) return undefined;
      tampering.tamper = undefined;
      const copy = Buffer.from(message);
      copy[copy.length - 3]! ^= 0x01;
      return [copy];
    };
    const closed = ended(victim);
    await expect(victim.client.request('task.list', { project: 'repo' })).rejects.toBeDefined();
    await closed;
    await othersStillServed(bystander, url);
  });

  it('takes 10,000 fuzzed relay messages and records without a crash, an unhandled rejection or a leak', async () => {
    const { url } = await throughTampering();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const victim = await bed.remote(url);
      const victimClosed = ended(victim);
      const heap = async (): Promise<number> => {
        await sleep(50);
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
        tampering.inject(message);
        if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
      }
      // The real client's records were forged among them: it is refused, and a fresh one is served.
      await victimClosed;
      const fresh = await until(() => bed.remote(url).catch(() => undefined), Boolean, 'a fresh client served after the fuzz');
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
    await expect(bed.remote(other, 2000)).rejects.toMatchObject({ name: 'RelayConnectError', kind: 'wrong-daemon' });
  });
});
