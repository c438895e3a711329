// `npx @vibe/relay-server` from packages/relay-server, as a server operator would run it: offline (the package
// is the workspace's own, never fetched), --port 0, /healthz answers, and SIGTERM stops it gracefully.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { followRelayLog, getJson, type Exit } from './helpers.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const groups: number[] = [];

// Whatever happens, nothing this file started outlives it: npx, its shell and the relay share a process group.
afterAll(() => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

interface Npx {
  child: ChildProcess;
  /** The relay's first log line. */
  listening: Record<string, unknown>;
  logs: Array<Record<string, unknown>>;
  exited: Promise<Exit>;
}

/** Starts `npx --no-install @vibe/relay-server --port 0` in its own process group; resolves once it listens. */
async function startNpx(): Promise<Npx> {
  const child = spawn('npx', ['--no-install', '@vibe/relay-server', '--port', '0'], {
    cwd: PACKAGE_DIR,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
  });
  groups.push(child.pid!);
  const { logs, exited, listening } = followRelayLog(child, 'npx @vibe/relay-server', 30_000);
  return { child, listening: await listening, logs, exited };
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npx @vibe/relay-server', () => {
  it('runs the relay offline, answers /healthz, and exits 0 when the relay gets SIGTERM', async () => {
    const npx = await startNpx();
    expect(npx.listening.port).toBeGreaterThan(0);
    expect(await getJson(`${npx.listening.url as string}/healthz`)).toMatchObject({ status: 'ok', instance: npx.listening.instance, daemons: 0, clients: 0 });
    // What systemd does (it signals every process of the service) reaches the relay; npx exits with its code.
    process.kill(npx.listening.pid as number, 'SIGTERM');
    expect(await npx.exited).toEqual({ code: 0, signal: null });
    expect(npx.logs.map((entry) => entry.msg)).toEqual(expect.arrayContaining(['signal', 'shutting down', 'stopped']));
  });

  it('does not outlive an npx that alone got SIGTERM (npm passes it only to its shell): it stops gracefully', async () => {
    const npx = await startNpx();
    const relayPid = npx.listening.pid as number;
    npx.child.kill('SIGTERM');
    await npx.exited;
    const stopped = (): boolean => !running(relayPid) && npx.logs.some((entry) => entry.msg === 'stopped');
    // Half a second to notice, a moment to close; generous for a loaded machine.
    const deadline = Date.now() + 15_000;
    while (!stopped() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect({ running: running(relayPid), logs: npx.logs.map((entry) => entry.msg) }).toEqual({
      running: false,
      logs: expect.arrayContaining(['parent process exited', 'stopped']),
    });
  });
});
