// Connecting to the daemon's socket: "absent" when nothing listens, "unresponsive" when the handshake never completes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaemonUnavailableError } from '@vibe/protocol/node';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connect } from './daemon-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'vibe-conn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A listening socket that treats each connection with `onConnection` and never speaks the protocol. */
async function serve(name: string, onConnection: (socket: Socket) => void): Promise<string> {
  const path = join(dir, name);
  const server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

async function failure(socketPath: string, timeoutMs = 2_000): Promise<DaemonUnavailableError> {
  const error: unknown = await connect({ socketPath, timeoutMs }).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DaemonUnavailableError);
  return error as DaemonUnavailableError;
}

describe('connect', () => {
  it('finds the daemon absent when there is no socket file', async () => {
    expect(await failure(join(dir, 'missing.sock'))).toMatchObject({ reason: 'absent', socketPath: join(dir, 'missing.sock') });
  });

  it('finds the daemon absent when nothing listens on the file at the socket path (ECONNREFUSED)', async () => {
    const stale = join(dir, 'stale.sock');
    writeFileSync(stale, '');
    expect((await failure(stale)).reason).toBe('absent');
  });

  it('finds the daemon unresponsive when it accepts but never answers the handshake', async () => {
    const silent = await serve('silent.sock', () => {});
    const error = await failure(silent, 150);
    expect(error).toMatchObject({ reason: 'unresponsive', socketPath: silent });
    expect(error.message).toMatch(/did not answer within 150 ms/);
  });

  it('finds the daemon unresponsive when it hangs up during the handshake', async () => {
    const rude = await serve('rude.sock', (socket) => socket.destroy());
    expect((await failure(rude)).reason).toBe('unresponsive');
  });
});
