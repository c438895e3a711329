// 10,000 fuzzed messages at a real relay process, from daemons and clients alike: no crash, the honest pair
// keeps routing, and the relay's memory comes back near where it started.
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { connectClient, connectDaemon, getJson, Peer, sleep, startRelayProcess, stopAllRelays, type RelayProcess } from './helpers.js';
import WebSocket from 'ws';

afterAll(stopAllRelays);

const MESSAGES = 10_000;

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

/** A message a hostile peer might send: routing headers with random ops and conns, junk, empties, text. */
function fuzzed(): Buffer | string {
  switch (randomInt(6)) {
    case 0:
      return randomBytes(randomInt(0, 5));
    case 1:
      return randomBytes(randomInt(5, 2048));
    case 2: {
      const message = Buffer.concat([Buffer.from([randomInt(0, 8)]), Buffer.alloc(4), randomBytes(randomInt(0, 64))]);
      message.writeUInt32BE(randomInt(0, 40), 1);
      return message;
    }
    case 3:
      return JSON.stringify({ type: ['register', 'ping', 'hello', 'open'][randomInt(4)], publicKey: randomBytes(32).toString('base64url'), signature: 'x' });
    case 4:
      return randomBytes(randomInt(1, 300)).toString('latin1');
    default:
      return Buffer.alloc(0);
  }
}

async function drained(ws: WebSocket): Promise<void> {
  for (let i = 0; i < 200 && ws.readyState === WebSocket.OPEN && ws.bufferedAmount > 0; i++) await sleep(5);
}

describe('a relay under fuzzed input', () => {
  let relay: RelayProcess;

  it('survives 10,000 hostile messages from daemons and clients and keeps routing the honest pair', async () => {
    // Every hostile peer comes from 127.0.0.1: the per-address handshake limit (tested on its own) is raised.
    relay = await startRelayProcess(['--max-clients-per-daemon', '64', '--handshake-rate', '100000', '--handshake-burst', '100000']);
    const honest = await connectDaemon(relay.wsUrl);
    const client = connectClient(relay.wsUrl, honest.daemonId);
    await client.opened;
    const conn = await honest.nextOpen();
    await sleep(300);
    const before = rssMb(relay.child.pid!);

    let sent = 0;
    const deadline = Date.now() + 60_000;
    while (sent < MESSAGES && Date.now() < deadline) {
      // A fresh hostile peer for each burst: an unregistered or registered daemon, or a client of the honest one.
      const kind = randomInt(3);
      const peer =
        kind === 0
          ? new Peer(new WebSocket(`${relay.wsUrl}/v1/daemon`))
          : kind === 1
            ? await connectDaemon(relay.wsUrl)
            : connectClient(relay.wsUrl, honest.daemonId);
      await peer.opened.catch(() => undefined);
      for (let i = 0; i < 100 && sent < MESSAGES; i++, sent++) {
        if (peer.ws.readyState !== WebSocket.OPEN) break;
        const message = fuzzed();
        peer.ws.send(message, { binary: typeof message !== 'string' });
      }
      await drained(peer.ws);
      peer.ws.terminate();
    }
    expect(sent).toBe(MESSAGES);

    // The honest pair still routes both ways, byte for byte.
    const payload = randomBytes(4096);
    honest.messages.splice(0);
    client.ws.send(payload);
    const up = await honest.expect((m) => m.op === 0x02 && m.conn === conn && Buffer.from(m.payload).equals(payload), 'the honest DATA');
    expect(up.conn).toBe(conn);
    client.messages.splice(0);
    honest.sendData(conn, payload);
    expect((await client.next()).data.equals(payload)).toBe(true);
    expect(relay.child.exitCode).toBeNull();
    expect(await getJson(`${relay.url}/healthz`)).toMatchObject({ status: 'ok' });

    // Memory back near the start once the hostile sockets are gone (RSS: allocator pages may stay mapped).
    let after = rssMb(relay.child.pid!);
    for (let i = 0; i < 50 && after - before > 25; i++) {
      await sleep(100);
      after = rssMb(relay.child.pid!);
    }
    expect(after - before).toBeLessThan(25);
    expect(relay.output.filter((line) => /uncaught|unhandled/i.test(line))).toEqual([]);
    client.close();
    honest.close();
  }, 120_000);
});
