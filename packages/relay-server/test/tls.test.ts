// `vibe-relay --tls-cert F --tls-key F` as a real process: https for /healthz, wss for a daemon and its client,
// with a self-signed certificate made by openssl for 127.0.0.1 and trusted only where the test says so.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RelayOp } from '@vibe/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectClient, connectDaemon, Peer, startRelayProcess, stopAllRelays, type RelayProcess } from './helpers.js';

const OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

/** A self-signed P-256 certificate for 127.0.0.1 and localhost, valid for a day. */
function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=vibe relay test',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  return { cert, key };
}

/** GET over https trusting only `ca`; resolves with the status and body. */
function httpsGet(url: string, ca: Buffer | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

afterAll(stopAllRelays);

describe.skipIf(!OPENSSL)(OPENSSL ? 'a relay serving TLS' : 'a relay serving TLS (skipped: no openssl on PATH to make a test certificate)', () => {
  let dir: string;
  let ca: Buffer;
  let relay: RelayProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vibe-relay-tls-'));
    const { cert, key } = makeCertificate(dir);
    ca = readFileSync(cert);
    relay = await startRelayProcess(['--tls-cert', cert, '--tls-key', key]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says it listens on https and logs tls: true', () => {
    expect(relay.url).toBe(`https://127.0.0.1:${relay.port}`);
    expect(relay.wsUrl).toBe(`wss://127.0.0.1:${relay.port}`);
    expect(relay.logs[0]).toMatchObject({ msg: 'listening', tls: true });
  });

  it('answers /healthz over https to a client that trusts its certificate', async () => {
    const { status, body } = await httpsGet(`${relay.url}/healthz`, ca);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ status: 'ok', instance: relay.instance, daemons: 0, clients: 0 });
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(httpsGet(`${relay.url}/healthz`, undefined)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const untrusting = new Peer(new WebSocket(`${relay.wsUrl}/v1/daemon`));
    await expect(untrusting.opened).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('registers a daemon over wss and routes its client both ways', async () => {
    const daemon = await connectDaemon(relay.wsUrl, undefined, { ca });
    const client = connectClient(relay.wsUrl, daemon.daemonId, { ca });
    await client.opened;
    const conn = await daemon.nextOpen();
    client.ws.send(Buffer.from('up through tls'));
    const up = await daemon.expect((m) => m.op === RelayOp.Data && m.conn === conn, 'DATA from the client');
    expect(Buffer.from(up.payload).toString()).toBe('up through tls');
    daemon.sendData(conn, Buffer.from('down through tls'));
    expect((await client.next()).data.toString()).toBe('down through tls');
    const health = JSON.parse((await httpsGet(`${relay.url}/healthz`, ca)).body) as Record<string, unknown>;
    expect(health).toMatchObject({ daemons: 1, clients: 1 });
    client.close();
    daemon.close();
  });

  it('refuses plain http on the TLS port', async () => {
    await expect(fetch(`http://127.0.0.1:${relay.port}/healthz`)).rejects.toThrow();
  });
});

describe('TLS flags', () => {
  it('exits with a clear message when a certificate file is missing', async () => {
    await expect(startRelayProcess(['--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem'])).rejects.toThrow(/ENOENT.*\/nonexistent\/cert\.pem/);
  });
});
