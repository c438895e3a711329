// The built relay as a real process on 127.0.0.1: registration, routing both ways, every bound, and shutdown.
import { sign } from 'node:crypto';
import { fromBase64Url, RELAY_CLOSE, RelayOp, registerTranscript, toBase64Url } from '@vibe/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  connectClient,
  connectDaemon,
  getJson,
  metric,
  metrics,
  newDaemonKey,
  Peer,
  sleep,
  startRelayProcess,
  stopAllRelays,
  untilHealth,
  type RelayProcess,
} from './helpers.js';

afterAll(stopAllRelays);

describe('a single relay process', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess(['--register-timeout-ms', '500', '--max-clients-per-daemon', '3', '--client-window-bytes', String(256 * 1024)]);
  });

  it('logs a first line naming its url, port and instance', () => {
    expect(relay.logs[0]).toMatchObject({ msg: 'listening', url: `http://127.0.0.1:${relay.port}`, port: relay.port, instance: relay.instance });
    expect(relay.port).toBeGreaterThan(0);
  });

  it('registers a daemon that signs the challenge and routes bytes both ways, untouched', async () => {
    const daemon = await connectDaemon(relay.wsUrl);
    expect(daemon.daemonId).toHaveLength(22);
    const client = connectClient(relay.wsUrl, daemon.daemonId);
    await client.opened;
    const conn = await daemon.nextOpen();
    const up = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    client.ws.send(up);
    const data = await daemon.expect((m) => m.op === RelayOp.Data && m.conn === conn, 'DATA from the client');
    expect(Buffer.from(data.payload).equals(Buffer.from(up))).toBe(true);
    daemon.sendData(conn, Buffer.from('hello from the daemon'));
    const down = await client.next();
    expect(down.binary).toBe(true);
    expect(down.data.toString()).toBe('hello from the daemon');
    client.close();
    const close = await daemon.expect((m) => m.op === RelayOp.Close, 'CLOSE for the client');
    expect(close.conn).toBe(conn);
    expect(close.payload.length).toBe(0);
    daemon.close();
  });

  it('keeps each client of a daemon apart by conn id, and closes one with the code the daemon gives', async () => {
    const daemon = await connectDaemon(relay.wsUrl);
    const a = connectClient(relay.wsUrl, daemon.daemonId);
    const connA = await daemon.nextOpen();
    const b = connectClient(relay.wsUrl, daemon.daemonId);
    const connB = await daemon.nextOpen();
    expect(connA).not.toBe(connB);
    await Promise.all([a.opened, b.opened]);
    daemon.sendData(connB, Buffer.from('for b'));
    daemon.sendData(connA, Buffer.from('for a'));
    expect((await a.next()).data.toString()).toBe('for a');
    expect((await b.next()).data.toString()).toBe('for b');
    daemon.closeClient(connA, RELAY_CLOSE.revoked, 'link revoked');
    expect(await a.whenClosed()).toEqual({ code: 4403, reason: 'link revoked' });
    daemon.sendData(connB, Buffer.from('still here'));
    expect((await b.next()).data.toString()).toBe('still here');
    daemon.close();
    expect((await b.whenClosed()).code).toBe(RELAY_CLOSE.daemonGone);
  });

  it('refuses a registration with a bad signature with 4401', async () => {
    const key = newDaemonKey();
    const other = newDaemonKey();
    const peer = new Peer(new WebSocket(`${relay.wsUrl}/v1/daemon`));
    const challenge = JSON.parse((await peer.next()).data.toString()) as { relay: string; nonce: string };
    // Signed with another key than the one presented.
    const signature = sign(null, registerTranscript(fromBase64Url(challenge.nonce)!, challenge.relay), other.privateKey);
    peer.ws.send(JSON.stringify({ type: 'register', publicKey: toBase64Url(key.publicKey), signature: toBase64Url(signature) }));
    expect((await peer.whenClosed()).code).toBe(RELAY_CLOSE.unauthorized);
  });

  it('refuses a signature over another relay instance id or another nonce', async () => {
    const key = newDaemonKey();
    for (const tamper of ['instance', 'nonce'] as const) {
      const peer = new Peer(new WebSocket(`${relay.wsUrl}/v1/daemon`));
      const challenge = JSON.parse((await peer.next()).data.toString()) as { relay: string; nonce: string };
      const nonce = fromBase64Url(challenge.nonce)!;
      if (tamper === 'nonce') nonce[0]! ^= 1;
      const signature = sign(null, registerTranscript(nonce, tamper === 'instance' ? 'another-relay' : challenge.relay), key.privateKey);
      peer.ws.send(JSON.stringify({ type: 'register', publicKey: toBase64Url(key.publicKey), signature: toBase64Url(signature) }));
      expect((await peer.whenClosed()).code).toBe(RELAY_CLOSE.unauthorized);
    }
  });

  it('refuses a malformed register with 4401', async () => {
    for (const bad of ['not json', JSON.stringify({ type: 'register', publicKey: 'x', signature: 'y' }), Buffer.from([2, 0, 0, 0, 1])]) {
      const peer = new Peer(new WebSocket(`${relay.wsUrl}/v1/daemon`));
      await peer.next();
      peer.ws.send(bad);
      expect((await peer.whenClosed()).code).toBe(RELAY_CLOSE.unauthorized);
    }
  });

  it('closes a daemon that does not register in time with 4408', async () => {
    const peer = new Peer(new WebSocket(`${relay.wsUrl}/v1/daemon`));
    const started = Date.now();
    expect((await peer.whenClosed()).code).toBe(RELAY_CLOSE.timeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('closes a client of an unknown daemon with 4404 and a malformed id with 4400', async () => {
    const unknown = connectClient(relay.wsUrl, 'Zmh6rfhivXdsj8GLjp-OIA');
    expect(await unknown.whenClosed()).toEqual({ code: RELAY_CLOSE.unknownDaemon, reason: 'unknown daemon' });
    for (const id of ['', 'short', 'Zmh6rfhivXdsj8GLjp+OIA']) expect((await connectClient(relay.wsUrl, id).whenClosed()).code).toBe(RELAY_CLOSE.badRequest);
    const none = new Peer(new WebSocket(`${relay.wsUrl}/v1/client`));
    expect((await none.whenClosed()).code).toBe(RELAY_CLOSE.badRequest);
  });

  it('closes a client that sends text with 1003 and tells the daemon', async () => {
    const daemon = await connectDaemon(relay.wsUrl);
    const client = connectClient(relay.wsUrl, daemon.daemonId);
    const conn = await daemon.nextOpen();
    await client.opened;
    client.ws.send('text');
    expect((await client.whenClosed()).code).toBe(1003);
    expect((await daemon.expect((m) => m.op === RelayOp.Close, 'CLOSE')).conn).toBe(conn);
    daemon.close();
  });

  it('closes a daemon that sends a message shorter than 5 bytes with 1002, and ignores unknown ops and conns', async () => {
    const daemon = await connectDaemon(relay.wsUrl);
    const client = connectClient(relay.wsUrl, daemon.daemonId);
    const conn = await daemon.nextOpen();
    await client.opened;
    daemon.ws.send(Buffer.from([0x09, 0, 0, 0, conn]));
    daemon.sendData(conn + 1000, Buffer.from('nobody'));
    daemon.ws.send('a text message');
    daemon.sendData(conn, Buffer.from('after the junk'));
    expect((await client.next()).data.toString()).toBe('after the junk');
    daemon.ws.send(Buffer.from([0x02, 0, 0]));
    expect((await daemon.whenClosed()).code).toBe(1002);
    expect((await client.whenClosed()).code).toBe(RELAY_CLOSE.daemonGone);
  });

  it('caps clients per daemon with 4429', async () => {
    const daemon = await connectDaemon(relay.wsUrl);
    const clients = [0, 1, 2].map(() => connectClient(relay.wsUrl, daemon.daemonId));
    for (let i = 0; i < 3; i++) await daemon.nextOpen();
    const fourth = connectClient(relay.wsUrl, daemon.daemonId);
    expect((await fourth.whenClosed()).code).toBe(RELAY_CLOSE.tooMany);
    clients[0]!.close();
    await daemon.expect((m) => m.op === RelayOp.Close, 'CLOSE');
    const again = connectClient(relay.wsUrl, daemon.daemonId);
    await again.opened;
    await daemon.nextOpen();
    expect(again.closed).toBeUndefined();
    daemon.close();
  });

  it('replaces an older registration of the same daemon: 4409 for it, 4503 for its clients', async () => {
    const key = newDaemonKey();
    const older = await connectDaemon(relay.wsUrl, key);
    const client = connectClient(relay.wsUrl, older.daemonId);
    await older.nextOpen();
    const newer = await connectDaemon(relay.wsUrl, key);
    expect(await older.whenClosed()).toMatchObject({ code: RELAY_CLOSE.replaced });
    expect((await client.whenClosed()).code).toBe(RELAY_CLOSE.daemonGone);
    const fresh = connectClient(relay.wsUrl, newer.daemonId);
    const conn = await newer.nextOpen();
    newer.sendData(conn, Buffer.from('from the newer one'));
    expect((await fresh.next()).data.toString()).toBe('from the newer one');
    newer.close();
  });

  it('closes a 10 MB message with 1009 and leaves other connections working', async () => {
    const daemon = await connectDaemon(relay.wsUrl);
    const big = connectClient(relay.wsUrl, daemon.daemonId);
    const small = connectClient(relay.wsUrl, daemon.daemonId);
    await daemon.nextOpen();
    const smallConn = await daemon.nextOpen();
    await Promise.all([big.opened, small.opened]);
    big.ws.send(Buffer.alloc(10 * 1024 * 1024, 1));
    expect((await big.whenClosed(10_000)).code).toBe(RELAY_CLOSE.tooBig);
    small.ws.send(Buffer.from('small'));
    const data = await daemon.expect((m) => m.op === RelayOp.Data, 'DATA from the small client');
    expect(data.conn).toBe(smallConn);
    expect(Buffer.from(data.payload).toString()).toBe('small');
    // The daemon side too: a message over 1 MiB + 5 closes its socket with 1009, nobody else's.
    const other = await connectDaemon(relay.wsUrl);
    other.ws.send(Buffer.alloc(10 * 1024 * 1024, 2));
    expect((await other.whenClosed(10_000)).code).toBe(RELAY_CLOSE.tooBig);
    daemon.sendData(smallConn, Buffer.from('fine'));
    expect((await small.next()).data.toString()).toBe('fine');
    daemon.close();
  });

  it('drops a client that stops reading with 4508 instead of buffering', async () => {
    const daemon = await connectDaemon(relay.wsUrl);
    const slow = connectClient(relay.wsUrl, daemon.daemonId);
    const fast = connectClient(relay.wsUrl, daemon.daemonId);
    const slowConn = await daemon.nextOpen();
    const fastConn = await daemon.nextOpen();
    await Promise.all([slow.opened, fast.opened]);
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const chunk = Buffer.alloc(64 * 1024, 3);
    let closed = false;
    // Send until the relay says the slow client is gone; bounded at 64 MiB.
    for (let i = 0; i < 1024 && !closed; i++) {
      daemon.sendData(slowConn, chunk);
      if (i % 16 === 15) {
        await sleep(5);
        closed = daemon.relayMessages().some((m) => m.op === RelayOp.Close && m.conn === slowConn);
      }
    }
    await daemon.expect((m) => m.op === RelayOp.Close && m.conn === slowConn, 'CLOSE for the slow client');
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.whenClosed()).code).toBe(RELAY_CLOSE.slowConsumer);
    daemon.sendData(fastConn, Buffer.from('not slowed down'));
    expect((await fast.next()).data.toString()).toBe('not slowed down');
    daemon.close();
  });

  it('answers /healthz and /metrics with numbers that move', async () => {
    // Sockets of earlier tests may still be closing on the relay's side: start from an empty relay.
    const before = await untilHealth(relay.url, (h) => h.daemons === 0 && h.clients === 0);
    expect(before).toMatchObject({ status: 'ok', instance: relay.instance });
    const textBefore = await metrics(relay.url);
    const daemon = await connectDaemon(relay.wsUrl);
    const client = connectClient(relay.wsUrl, daemon.daemonId);
    const conn = await daemon.nextOpen();
    await client.opened;
    client.ws.send(Buffer.alloc(100));
    await daemon.expect((m) => m.op === RelayOp.Data, 'DATA');
    daemon.sendData(conn, Buffer.alloc(50));
    await client.next();
    const during = await untilHealth(relay.url, (h) => h.daemons === 1 && h.clients === 1);
    expect(during.daemons).toBe((before.daemons as number) + 1);
    expect(during.clients).toBe((before.clients as number) + 1);
    const text = await metrics(relay.url);
    expect(metric(text, 'vibe_relay_connections{role="daemon"}')).toBe(during.daemons);
    expect(metric(text, 'vibe_relay_connections{role="client"}')).toBe(during.clients);
    expect(metric(text, 'vibe_relay_bytes_total{direction="to_daemon"}')).toBe(metric(textBefore, 'vibe_relay_bytes_total{direction="to_daemon"}')! + 100);
    expect(metric(text, 'vibe_relay_bytes_total{direction="to_client"}')).toBe(metric(textBefore, 'vibe_relay_bytes_total{direction="to_client"}')! + 50);
    expect(metric(text, 'vibe_relay_handshakes_total{role="daemon",result="ok"}')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE vibe_relay_drops_total counter');
    client.close();
    daemon.close();
    await client.whenClosed();
    await daemon.whenClosed();
    await sleep(50);
    expect(await getJson(`${relay.url}/healthz`)).toMatchObject({ daemons: before.daemons, clients: before.clients });
  });

  it('serves the web view at / (its page and its own script, which has the words for a link that fails) and 404 elsewhere', async () => {
    const res = await fetch(`${relay.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<script type="module" src="app.js">');
    const script = await (await fetch(`${relay.url}/app.js`)).text();
    expect(script).toContain('vibe connect');
    expect(script).toContain('Unknown daemon');
    expect((await fetch(`${relay.url}/nope`)).status).toBe(404);
    expect((await fetch(`${relay.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('logs no payload bytes, keys or signatures', () => {
    const all = relay.output.join('\n');
    // Keys are 43 base64url characters and signatures 86; daemon ids (22) and instance ids (12) are shorter.
    expect(all).not.toMatch(/[A-Za-z0-9_-]{43}/);
    expect(all).not.toContain('hello from the daemon');
    expect(relay.logs.length).toBeGreaterThan(10);
  });
});

describe('bounds that need their own relay', () => {
  it('rate-limits handshakes per address with HTTP 429', async () => {
    const relay = await startRelayProcess(['--handshake-rate', '1', '--handshake-burst', '5']);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const peer = connectClient(relay.wsUrl, 'Zmh6rfhivXdsj8GLjp-OIA');
      const status = await peer.opened.then(() => 101, (error: Error) => Number(/HTTP (\d+)/.exec(error.message)?.[1] ?? 0));
      statuses.push(status);
      if (status === 101) await peer.whenClosed();
    }
    expect(statuses.slice(0, 5)).toEqual([101, 101, 101, 101, 101]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(metric(await metrics(relay.url), 'vibe_relay_rate_limited_total')).toBe(3);
    // HTTP endpoints are not rate-limited, and the bucket refills.
    await sleep(1100);
    await connectClient(relay.wsUrl, 'Zmh6rfhivXdsj8GLjp-OIA').opened;
    await relay.stop();
  });

  it('closes an idle client and terminates a peer that stops answering pings', async () => {
    const relay = await startRelayProcess(['--heartbeat-ms', '100', '--idle-timeout-ms', '300']);
    const daemon = await connectDaemon(relay.wsUrl);
    const idle = connectClient(relay.wsUrl, daemon.daemonId);
    await idle.opened;
    const idleConn = await daemon.nextOpen();
    const started = Date.now();
    expect(await idle.whenClosed()).toEqual({ code: RELAY_CLOSE.timeout, reason: 'idle timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    await daemon.expect((m) => m.op === RelayOp.Close && m.conn === idleConn, 'CLOSE for the idle client');
    // A client whose socket is paused answers no pings: the relay cuts it within two heartbeats.
    const deaf = connectClient(relay.wsUrl, daemon.daemonId);
    await deaf.opened;
    (deaf.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const deafConn = await daemon.nextOpen();
    await daemon.expect((m) => m.op === RelayOp.Close && m.conn === deafConn, 'CLOSE for the deaf client', 2_000);
    // The daemon, which answers pings, is still there.
    expect(daemon.closed).toBeUndefined();
    expect(metric(await metrics(relay.url), 'vibe_relay_drops_total{reason="heartbeat"}')).toBeGreaterThan(0);
    await relay.stop();
  });

  it('keeps a quiet client that pings open past the idle timeout, and idles it out once it stops', async () => {
    const relay = await startRelayProcess(['--heartbeat-ms', '100', '--idle-timeout-ms', '300']);
    const daemon = await connectDaemon(relay.wsUrl);
    const pinging = connectClient(relay.wsUrl, daemon.daemonId);
    const silent = connectClient(relay.wsUrl, daemon.daemonId);
    await Promise.all([pinging.opened, silent.opened]);
    const pingingConn = await daemon.nextOpen();
    await daemon.nextOpen();
    const pinger = setInterval(() => pinging.ws.ping(), 100);
    try {
      // Neither client sends a message; only one pings. Three idle timeouts later:
      expect(await silent.whenClosed()).toEqual({ code: RELAY_CLOSE.timeout, reason: 'idle timeout' });
      await sleep(900);
      expect(pinging.closed).toBeUndefined();
      daemon.sendData(pingingConn, Buffer.from('still routed'));
      expect((await pinging.next()).data.toString()).toBe('still routed');
    } finally {
      clearInterval(pinger);
    }
    const stopped = Date.now();
    expect(await pinging.whenClosed()).toEqual({ code: RELAY_CLOSE.timeout, reason: 'idle timeout' });
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(250);
    await daemon.expect((m) => m.op === RelayOp.Close && m.conn === pingingConn, 'CLOSE for the client that stopped pinging');
    await relay.stop();
  });

  it('shuts down gracefully on SIGTERM: every socket gets 1012 and the process exits 0', async () => {
    const relay = await startRelayProcess();
    const daemon = await connectDaemon(relay.wsUrl);
    const client = connectClient(relay.wsUrl, daemon.daemonId);
    await client.opened;
    await daemon.nextOpen();
    const pending = new Peer(new WebSocket(`${relay.wsUrl}/v1/daemon`));
    await pending.opened;
    const exit = relay.stop('SIGTERM');
    expect((await daemon.whenClosed()).code).toBe(RELAY_CLOSE.restarting);
    expect((await client.whenClosed()).code).toBe(RELAY_CLOSE.restarting);
    expect((await pending.whenClosed()).code).toBe(RELAY_CLOSE.restarting);
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(relay.logs.map((l) => l.msg)).toContain('stopped');
  });

  it('exits 2 with a clear message for an unknown flag', async () => {
    await expect(startRelayProcess(['--bogus'])).rejects.toThrow(/unknown option --bogus/);
  });
});
