// Two relay processes sharing routing through a real redis-server: a daemon on A, clients on B, takeovers, and
// what dies with which process.
import { RELAY_CLOSE, RelayOp } from '@vibe/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, connectDaemon, getJson, newDaemonKey, sleep, startRedis, startRelayProcess, stopAllRedis, stopAllRelays, type RedisProcess, type RelayProcess } from './helpers.js';

let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await stopAllRelays();
  // Every redis-server this file started, the one shared here and any a failed test did not get to stop.
  await stopAllRedis();
});

const relayArgs = (): string[] => ['--redis', redis.url, '--heartbeat-ms', '200'];

describe('two relays on one Redis', () => {
  let a: RelayProcess;
  let b: RelayProcess;
  beforeAll(async () => {
    [a, b] = await Promise.all([startRelayProcess(relayArgs()), startRelayProcess(relayArgs())]);
    // Both subscribed to their own channels before any test runs.
    await sleep(300);
  });

  it('routes a client on B to a daemon on A, both ways, in order', async () => {
    const daemon = await connectDaemon(a.wsUrl);
    const client = connectClient(b.wsUrl, daemon.daemonId);
    await client.opened;
    const conn = await daemon.nextOpen();
    for (let i = 0; i < 50; i++) client.ws.send(Buffer.from(`up ${i}`));
    for (let i = 0; i < 50; i++) {
      const m = await daemon.expect((x) => x.op === RelayOp.Data && x.conn === conn, `DATA ${i}`);
      expect(Buffer.from(m.payload).toString()).toBe(`up ${i}`);
    }
    for (let i = 0; i < 50; i++) daemon.sendData(conn, Buffer.from(`down ${i}`));
    for (let i = 0; i < 50; i++) expect((await client.next()).data.toString()).toBe(`down ${i}`);
    // A binary payload with every byte value survives the trip through Redis.
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    daemon.sendData(conn, all);
    expect((await client.next()).data.equals(all)).toBe(true);
    client.close();
    expect((await daemon.expect((m) => m.op === RelayOp.Close, 'CLOSE')).conn).toBe(conn);
    expect(await getJson(`${b.url}/healthz`)).toMatchObject({ daemons: 0 });
    daemon.close();
  });

  it('passes the daemon\'s close code to a client on another relay, and 4503 when the daemon goes', async () => {
    const daemon = await connectDaemon(a.wsUrl);
    const first = connectClient(b.wsUrl, daemon.daemonId);
    const firstConn = await daemon.nextOpen();
    const second = connectClient(b.wsUrl, daemon.daemonId);
    await daemon.nextOpen();
    await Promise.all([first.opened, second.opened]);
    daemon.closeClient(firstConn, RELAY_CLOSE.revoked, 'link revoked');
    expect(await first.whenClosed()).toEqual({ code: RELAY_CLOSE.revoked, reason: 'link revoked' });
    daemon.close();
    expect((await second.whenClosed()).code).toBe(RELAY_CLOSE.daemonGone);
  });

  it('closes a client of a daemon no relay holds with 4404', async () => {
    const client = connectClient(b.wsUrl, 'Zmh6rfhivXdsj8GLjp-OIA');
    expect(await client.whenClosed()).toEqual({ code: RELAY_CLOSE.unknownDaemon, reason: 'unknown daemon' });
  });

  it('hands a daemon to the relay of its newer registration: 4409 for the older socket, 4503 for its clients', async () => {
    const key = newDaemonKey();
    const older = await connectDaemon(a.wsUrl, key);
    const localToA = connectClient(a.wsUrl, older.daemonId);
    const onB = connectClient(b.wsUrl, older.daemonId);
    await older.nextOpen();
    await older.nextOpen();
    await Promise.all([localToA.opened, onB.opened]);
    const newer = await connectDaemon(b.wsUrl, key);
    expect((await older.whenClosed()).code).toBe(RELAY_CLOSE.replaced);
    expect((await localToA.whenClosed()).code).toBe(RELAY_CLOSE.daemonGone);
    expect((await onB.whenClosed()).code).toBe(RELAY_CLOSE.daemonGone);
    // Clients find it on B now, from either relay.
    const viaA = connectClient(a.wsUrl, newer.daemonId);
    const conn = await newer.nextOpen();
    newer.sendData(conn, Buffer.from('moved'));
    expect((await viaA.next()).data.toString()).toBe('moved');
    newer.close();
  });

  it('caps clients per daemon across relays', async () => {
    const capped = await startRelayProcess([...relayArgs(), '--max-clients-per-daemon', '2']);
    const daemon = await connectDaemon(capped.wsUrl);
    const clients = [connectClient(b.wsUrl, daemon.daemonId), connectClient(a.wsUrl, daemon.daemonId)];
    await daemon.nextOpen();
    await daemon.nextOpen();
    await Promise.all(clients.map((c) => c.opened));
    expect((await connectClient(b.wsUrl, daemon.daemonId).whenClosed()).code).toBe(RELAY_CLOSE.tooMany);
    await capped.stop();
  });
});

describe('relay processes dying', () => {
  it('killing relay B with SIGKILL drops only B\'s sockets; its clients reconnect to A and work', async () => {
    const a = await startRelayProcess(relayArgs());
    const b = await startRelayProcess(relayArgs());
    await sleep(300);
    const daemon = await connectDaemon(a.wsUrl);
    const onA = connectClient(a.wsUrl, daemon.daemonId);
    const connA = await daemon.nextOpen();
    const onB = connectClient(b.wsUrl, daemon.daemonId);
    const connB = await daemon.nextOpen();
    await Promise.all([onA.opened, onB.opened]);
    await b.stop('SIGKILL');
    expect((await onB.whenClosed()).code).toBe(1006);
    // A notices within a heartbeat or two that B is gone and tells the daemon.
    expect((await daemon.expect((m) => m.op === RelayOp.Close && m.conn === connB, 'CLOSE for the client on B', 3_000)).conn).toBe(connB);
    expect(daemon.closed).toBeUndefined();
    expect(onA.closed).toBeUndefined();
    daemon.sendData(connA, Buffer.from('still on A'));
    expect((await onA.next()).data.toString()).toBe('still on A');
    const back = connectClient(a.wsUrl, daemon.daemonId);
    const connBack = await daemon.nextOpen();
    await back.opened;
    back.ws.send(Buffer.from('reconnected'));
    const m = await daemon.expect((x) => x.op === RelayOp.Data && x.conn === connBack, 'DATA from the reconnected client');
    expect(Buffer.from(m.payload).toString()).toBe('reconnected');
    daemon.close();
    await a.stop();
  });

  it('killing the relay that holds the daemon closes its clients on other relays with 4503', async () => {
    const a = await startRelayProcess(relayArgs());
    const b = await startRelayProcess(relayArgs());
    await sleep(300);
    const daemon = await connectDaemon(a.wsUrl);
    const onB = connectClient(b.wsUrl, daemon.daemonId);
    await daemon.nextOpen();
    await onB.opened;
    const killed = Date.now();
    await a.stop('SIGKILL');
    expect((await onB.whenClosed(3_000)).code).toBe(RELAY_CLOSE.daemonGone);
    expect(Date.now() - killed).toBeLessThan(2_000);
    await b.stop();
  });

  it('a graceful stop of the daemon\'s relay closes its remote clients with 4503 and its own with 1012', async () => {
    const a = await startRelayProcess(relayArgs());
    const b = await startRelayProcess(relayArgs());
    await sleep(300);
    const daemon = await connectDaemon(a.wsUrl);
    const onA = connectClient(a.wsUrl, daemon.daemonId);
    const onB = connectClient(b.wsUrl, daemon.daemonId);
    await daemon.nextOpen();
    await daemon.nextOpen();
    await Promise.all([onA.opened, onB.opened]);
    expect(await a.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect((await onA.whenClosed()).code).toBe(RELAY_CLOSE.restarting);
    expect((await daemon.whenClosed()).code).toBe(RELAY_CLOSE.restarting);
    expect((await onB.whenClosed()).code).toBe(RELAY_CLOSE.daemonGone);
    await b.stop();
  });

  it('keeps serving local routes while Redis is down and uses it again when it is back', async () => {
    const own = await startRedis();
    const a = await startRelayProcess(['--redis', own.url, '--heartbeat-ms', '200']);
    const b = await startRelayProcess(['--redis', own.url, '--heartbeat-ms', '200']);
    await sleep(300);
    const daemon = await connectDaemon(a.wsUrl);
    const local = connectClient(a.wsUrl, daemon.daemonId);
    const remote = connectClient(b.wsUrl, daemon.daemonId);
    const localConn = await daemon.nextOpen();
    await daemon.nextOpen();
    await Promise.all([local.opened, remote.opened]);
    const port = Number(new URL(own.url).port);
    await own.stop();
    // The route through Redis is void: its client is closed so it reconnects; the local one goes on.
    expect((await remote.whenClosed(5_000)).code).toBe(RELAY_CLOSE.daemonGone);
    daemon.sendData(localConn, Buffer.from('local still works'));
    expect((await local.next()).data.toString()).toBe('local still works');
    expect(a.logs.some((l) => l.msg === 'redis connection lost; serving local routes only until it returns')).toBe(true);
    // Redis returns on the same port: both relays reconnect and resubscribe; a client on B reaches A again.
    const again = await startRedis(port);
    try {
      const deadline = Date.now() + 15_000;
      let reached: { client: ReturnType<typeof connectClient>; conn: number } | undefined;
      while (!reached && Date.now() < deadline) {
        const client = connectClient(b.wsUrl, daemon.daemonId);
        const conn = await Promise.race([client.whenClosed(3_000).then(() => undefined), daemon.nextOpen(3_000)]).catch(() => undefined);
        if (conn === undefined || client.closed) await sleep(300);
        else reached = { client, conn };
      }
      expect(reached).toBeDefined();
      daemon.sendData(reached!.conn, Buffer.from('through Redis again'));
      expect((await reached!.client.next()).data.toString()).toBe('through Redis again');
    } finally {
      await again.stop();
      daemon.close();
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
