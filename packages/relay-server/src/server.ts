// startRelay: the HTTP(S) server around the routing core — /healthz, /metrics, the web view, and the two
// WebSocket endpoints, under any path prefix a reverse proxy leaves in place.
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { nullLogger } from './logger.js';
import { resolveLimits, type RelayOptions } from './options.js';
import { Relay } from './relay.js';
import { WebAssets, webAssetsDir } from './web-assets.js';
import type * as RedisModuleNamespace from 'redis';
import type { createClient } from 'redis';

export interface RelayServer {
  /** Base URL clients and daemons use (a wildcard bind address is shown as loopback). */
  url: string;
  port: number;
  instanceId: string;
  /** Graceful shutdown: every socket closes with 1012, then the server stops listening. */
  close(): Promise<void>;
}

const ENDPOINTS = ['/v1/daemon', '/v1/client', '/healthz', '/metrics'] as const;

/** Splits a request path into the endpoint it names (ignoring any prefix) and its query. */
function route(url: string | undefined): { endpoint: string; query: URLSearchParams; pathname: string } {
  const parsed = new URL(url ?? '/', 'http://relay.invalid');
  const path = parsed.pathname.replace(/\/+$/, '');
  const endpoint = ENDPOINTS.find((name) => path === name || path.endsWith(name)) ?? (parsed.pathname.endsWith('/') ? '/' : path);
  return { endpoint, query: parsed.searchParams, pathname: parsed.pathname };
}

export async function startRelay(options: RelayOptions = {}): Promise<RelayServer> {
  const limits = resolveLimits(options.limits);
  const logger = options.logger ?? nullLogger;
  const host = options.host ?? '127.0.0.1';
  const instanceId = options.instanceId ?? randomBytes(9).toString('base64url');
  const tls = options.tlsCert !== undefined || options.tlsKey !== undefined;
  if (tls && (options.tlsCert === undefined || options.tlsKey === undefined)) throw new Error('TLS needs both a certificate and a key');

  // redis is loaded only for a relay that shares routing: a lone relay's idle memory is half of it.
  const redis = options.redisUrl ? { url: options.redisUrl, createClient: await loadCreateClient() } : undefined;
  const relay = new Relay(instanceId, limits, logger, redis, options.trustProxy ?? false);
  const web = new WebAssets(options.webDir === null ? undefined : (options.webDir ?? webAssetsDir()));
  const handle = (req: IncomingMessage, res: ServerResponse): void => serveHttp(relay, web, instanceId, req, res);
  const server: Server = tls ? createHttpsServer({ cert: options.tlsCert, key: options.tlsKey }, handle) : createHttpServer(handle);
  // A slow or silent HTTP client must not hold a socket for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    const { endpoint, query } = route(req.url);
    relay.upgrade(req, socket, head, endpoint, query);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `${tls ? 'https' : 'http'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  logger.log('info', 'listening', { url, port, instance: instanceId, pid: process.pid, host, tls, redis: options.redisUrl ? redactUrl(options.redisUrl) : null });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    instanceId,
    close() {
      closing ??= (async () => {
        logger.log('info', 'shutting down', { instance: instanceId, ...relay.counts });
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await relay.close();
        server.closeAllConnections();
        await stopped;
        logger.log('info', 'stopped', { instance: instanceId });
      })();
      return closing;
    },
  };
}

const NOT_BUILT = '<!doctype html><meta charset="utf-8"><title>vibe relay</title><h1>vibe relay</h1><p>This relay forwards end-to-end encrypted traffic between vibe daemons and their clients. Its web view was not built (npm run build); from a terminal use <code>vibe --link LINK task ls</code>.</p>\n';

function serveHttp(relay: Relay, web: WebAssets, instanceId: string, req: IncomingMessage, res: ServerResponse): void {
  const { endpoint, pathname } = route(req.url);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  if (endpoint === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ status: 'ok', instance: instanceId, ...relay.counts }));
  } else if (endpoint === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
    res.end(relay.renderMetrics());
  } else if (web.find(pathname) !== undefined) {
    web.serve(web.find(pathname)!, req, res);
  } else if (endpoint === '/' || endpoint === '/index.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(req.method === 'HEAD' ? undefined : NOT_BUILT);
  } else if (endpoint === '/v1/daemon' || endpoint === '/v1/client') {
    res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' }).end('this endpoint speaks WebSocket\n');
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }
}

/** A Redis URL without its password, for the log. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparseable)';
  }
}

/**
 * redis's createClient. The package is CommonJS: bundled into the relay (as in the published package), a
 * dynamic import may give its exports only under `default`.
 */
type RedisModule = typeof RedisModuleNamespace;

async function loadCreateClient(): Promise<typeof createClient> {
  const loaded = (await import('redis')) as RedisModule & { default?: RedisModule };
  return loaded.createClient ?? loaded.default!.createClient;
}
