// A test double of the relay only: speaks the relay's wire (challenge, register, OPEN/DATA/CLOSE) on
// 127.0.0.1 and lets a test flip, replay, reorder or drop what it forwards — what a compromised relay could do.
import { createServer, type ServerResponse, type Server } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

export type Direction = 'to_daemon' | 'to_client';
/** Decides what happens to one forwarded message: pass it, replace it with other messages, or drop it ([]). */
export type Tamper = (message: Buffer, info: { direction: Direction; conn: number; index: number }) => Buffer[] | undefined;

export type Meddling = 'reorder' | 'drop' | 'replay';

export class TamperingRelay {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  private daemon: WebSocket | undefined;
  private readonly clients = new Map<number, WebSocket>();
  private readonly counts = new Map<string, number>();
  private nextConn = 1;
  tamper: Tamper | undefined;
  /** Every close code the daemon asked for, by conn. */
  readonly closeRequests: Array<{ conn: number; code: number; reason: string }> = [];
  /** Every client socket that closed, by conn, with the code the client sent (1005 for none, 1006 for a drop). */
  readonly clientCloses: Array<{ conn: number; code: number }> = [];
  /** The conn of the newest client. */
  latestConn = 0;
  registered = false;

  private constructor(webDir: string | undefined) {
    this.server = createServer((request, response) => serveWebFile(webDir, request.url ?? '/', response));
    this.server.on('upgrade', (request, socket, head) => {
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        const url = new URL(request.url ?? '/', 'http://relay');
        if (url.pathname === '/v1/daemon') this.acceptDaemon(ws);
        else if (url.pathname === '/v1/client') this.acceptClient(ws);
        else ws.close(4400, 'bad path');
      });
    });
  }

  /** `webDir`: a built web view (relay-server's dist/web) to serve at `/`, so a browser can open links here. */
  static async start(options: { webDir?: string } = {}): Promise<TamperingRelay> {
    const relay = new TamperingRelay(options.webDir);
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Meddles once with the next records `direction` on `conn`: `drop` loses one, `replay` delivers one twice,
   * `reorder` holds one back and delivers it after the next. Resolves once it has.
   */
  meddle(conn: number, direction: Direction, how: Meddling): Promise<void> {
    return new Promise((resolve) => {
      let held: Buffer | undefined;
      this.tamper = (message, info) => {
        if (info.conn !== conn || info.direction !== direction) return undefined;
        if (how === 'reorder' && !held) {
          held = message;
          return [];
        }
        this.tamper = undefined;
        resolve();
        return how === 'drop' ? [] : how === 'replay' ? [message, message] : [message, held!];
      };
    });
  }

  /** Sends the daemon raw bytes (or text) as if the relay wrote them: fuzzing the daemon's side. */
  inject(message: Buffer | string): void {
    this.daemon?.send(message, { binary: typeof message !== 'string' });
  }

  /** Drops the daemon's socket as a relay crash would. */
  dropDaemon(): void {
    this.daemon?.terminate();
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private acceptDaemon(ws: WebSocket): void {
    ws.send(JSON.stringify({ type: 'challenge', protocol: 1, relay: 'tampering', nonce: randomBytes(32).toString('base64url') }));
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) {
        const message = JSON.parse(data.toString()) as { type: string; publicKey: string };
        if (message.type !== 'register') return;
        // The double does not check the signature: the tests here are about what the daemon and clients check.
        const daemonId = createHash('sha256').update(Buffer.from(message.publicKey, 'base64url')).digest().subarray(0, 16).toString('base64url');
        this.daemon = ws;
        this.registered = true;
        ws.send(JSON.stringify({ type: 'registered', daemonId }));
        return;
      }
      const op = data[0];
      const conn = data.readUInt32BE(1);
      const client = this.clients.get(conn);
      if (op === 0x02) this.forward(client, data.subarray(5), 'to_client', conn);
      else if (op === 0x03) {
        const code = data.length >= 7 ? data.readUInt16BE(5) : 1000;
        const reason = data.subarray(7).toString();
        this.closeRequests.push({ conn, code, reason });
        client?.close(code, reason);
      }
    });
    ws.on('close', () => {
      if (this.daemon !== ws) return;
      this.registered = false;
      for (const client of this.clients.values()) client.close(4503, 'daemon went away');
    });
  }

  private acceptClient(ws: WebSocket): void {
    if (!this.daemon) return ws.close(4404, 'unknown daemon');
    const conn = this.nextConn++;
    this.latestConn = conn;
    this.clients.set(conn, ws);
    this.daemon.send(header(0x01, conn, Buffer.alloc(0)));
    ws.on('message', (data: Buffer) => this.forward(this.daemon, data, 'to_daemon', conn));
    ws.on('close', (code) => {
      this.clientCloses.push({ conn, code });
      this.clients.delete(conn);
      this.daemon?.send(header(0x03, conn, Buffer.alloc(0)));
    });
  }

  private forward(target: WebSocket | undefined, message: Buffer, direction: Direction, conn: number): void {
    const key = `${direction}:${conn}`;
    const index = this.counts.get(key) ?? 0;
    this.counts.set(key, index + 1);
    const out = this.tamper?.(message, { direction, conn, index }) ?? [message];
    for (const item of out) {
      if (direction === 'to_daemon') target?.send(header(0x02, conn, item));
      else target?.send(item);
    }
  }
}

const WEB_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.webmanifest': 'application/manifest+json' };

/** A file of the web view by its last path segment (`/` is the page), as the real relay finds them; else 404. */
function serveWebFile(webDir: string | undefined, url: string, response: ServerResponse): void {
  const pathname = new URL(url, 'http://relay').pathname;
  const name = pathname.endsWith('/') ? 'index.html' : pathname.slice(pathname.lastIndexOf('/') + 1);
  const type = WEB_TYPES[extname(name)];
  let body: Buffer | undefined;
  try {
    if (webDir && type) body = readFileSync(join(webDir, name));
  } catch {
    // Not one of the page's files.
  }
  if (body) response.writeHead(200, { 'content-type': type! }).end(body);
  else response.writeHead(404).end();
}

function header(op: number, conn: number, payload: Buffer): Buffer {
  const out = Buffer.alloc(5 + payload.length);
  out[0] = op;
  out.writeUInt32BE(conn, 1);
  payload.copy(out, 5);
  return out;
}
