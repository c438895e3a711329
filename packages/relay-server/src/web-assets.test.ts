// The relay serving the web view: the page under its CSP, its files under any prefix, gzip and revalidation,
// and a plain page when the web view was not built.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type RelayServer } from './server.js';

let dir: string;
let relay: RelayServer;

/** A GET with chosen headers; the raw body (not decompressed) and the headers. */
function get(path: string, headers: Record<string, string> = {}, base = relay.url): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>vibe</title><script type="module" src="app.js"></script>');
  writeFileSync(join(dir, 'app.js'), `console.log(${JSON.stringify('x'.repeat(5000))});`);
  writeFileSync(join(dir, 'manifest.webmanifest'), '{"name":"vibe"}');
  writeFileSync(join(dir, 'notes.txt'), 'not served: not a web view file type');
  relay = await startRelay({ webDir: pathToFileURL(`${dir}/`) });
});
afterAll(async () => {
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the relay serving the web view', () => {
  it('serves the page under a CSP that allows only its own script and connections to this relay', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body.toString()).toContain('<title>vibe</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain(`connect-src 'self' ws://${new URL(relay.url).host}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves its files by name under any prefix a proxy leaves, gzipped when asked, revalidated by ETag', async () => {
    const plain = await get('/vibe/app.js');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const zipped = await get('/vibe/app.js', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 10);
    expect(gunzipSync(zipped.body)).toEqual(plain.body);
    const again = await get('/app.js', { 'if-none-match': String(plain.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await get('/prefix/')).body.toString()).toContain('<title>vibe</title>');
    expect((await get('/manifest.webmanifest')).headers['content-type']).toBe('application/manifest+json');
    expect((await get('/notes.txt')).status).toBe(404);
    expect((await get('/../../etc/passwd')).status).toBe(404);
  });

  it('keeps /healthz and the WebSocket endpoints what they were', async () => {
    expect(JSON.parse((await get('/healthz')).body.toString())).toMatchObject({ status: 'ok' });
    expect((await get('/v1/client')).status).toBe(426);
  });

  it('says so in a plain page when the web view was not built', async () => {
    const bare = await startRelay({ webDir: null });
    try {
      const page = await get('/', {}, bare.url);
      expect(page.status).toBe(200);
      expect(page.body.toString()).toMatch(/web view was not built/);
      expect((await get('/app.js', {}, bare.url)).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
