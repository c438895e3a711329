// The web view's files (built into dist/web/ by scripts/build-web.mjs), held in memory with their gzip form
// and served at the relay's base path under any prefix a proxy leaves. Nothing is fetched from elsewhere.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

interface Asset {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Only the page's own files run, it may connect only to this relay, and nothing may frame it. Styles allow
 * inline: xterm.js sizes its rows with style attributes and a style element of its own.
 */
export function pageHeaders(req: IncomingMessage): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src 'self'${socketOrigin(req)}`,
      "manifest-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/** This relay's own WebSocket origin, for browsers whose 'self' does not cover ws: (older Safari). */
function socketOrigin(req: IncomingMessage): string {
  const host = req.headers.host;
  if (!host || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return '';
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
  return ` ${secure ? 'wss' : 'ws'}://${host}`;
}

export class WebAssets {
  private readonly assets = new Map<string, Asset>();

  /** Loads every file of `dir`; an empty set when the web view was not built. */
  constructor(dir: URL | undefined) {
    if (!dir) return;
    for (const name of readdirSync(dir)) {
      const extension = name.slice(name.lastIndexOf('.'));
      const type = TYPES[extension];
      if (!type) continue;
      const body = readFileSync(new URL(name, dir));
      const compressible = !type.startsWith('image/png');
      this.assets.set(name, {
        body,
        type,
        gzip: compressible ? gzipSync(body, { level: 9 }) : undefined,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      });
    }
  }

  get built(): boolean {
    return this.assets.has('index.html');
  }

  /** The asset a request path names: its last segment, or the page itself for a path ending in /. */
  find(pathname: string): string | undefined {
    const name = pathname.endsWith('/') ? 'index.html' : pathname.slice(pathname.lastIndexOf('/') + 1);
    return this.assets.has(name) ? name : undefined;
  }

  serve(name: string, req: IncomingMessage, res: ServerResponse): void {
    const asset = this.assets.get(name)!;
    const headers: Record<string, string> = {
      'content-type': asset.type,
      etag: asset.etag,
      // Revalidated on every load: an upgraded relay's page is never mixed with an old script.
      'cache-control': 'no-cache',
      vary: 'accept-encoding',
      ...(name === 'index.html' ? pageHeaders(req) : { 'x-content-type-options': 'nosniff' }),
    };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const gzip = asset.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzip! : asset.body;
    if (gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  }

  /** Sizes for the benchmarks and the budget test: raw and gzip bytes of each file. */
  sizes(): Array<{ name: string; bytes: number; gzipBytes: number }> {
    return [...this.assets].map(([name, asset]) => ({ name, bytes: asset.body.length, gzipBytes: (asset.gzip ?? asset.body).length }));
  }
}

/**
 * Where the built web view is: beside this module in a build (dist/web/ next to dist/main.js, also inside the
 * CLI's dist/relay/), or in the package's dist/ when the relay runs from its sources (tests).
 */
export function webAssetsDir(): URL | undefined {
  for (const candidate of ['./web/', '../dist/web/']) {
    const dir = new URL(candidate, import.meta.url);
    if (existsSync(new URL('index.html', dir))) return dir;
  }
  return undefined;
}
