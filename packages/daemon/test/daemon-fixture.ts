// Shared by the in-process daemon tests: polling for a condition, and stopping a daemon with its tmux server.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Daemon } from '../src/daemon.js';

/** Polls `read` until `ok` holds; the last value read goes in the timeout error. */
export async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, what: string, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Stops the daemon, then the private tmux server its sessions ran on (tmux outlives the daemon by design). */
export async function stopDaemon(daemon: Daemon): Promise<void> {
  const tmuxSocket = join(daemon.paths.runtime, 'tmux.sock');
  await daemon.stop('test over');
  try {
    execFileSync('tmux', ['-S', tmuxSocket, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // No server was started (pty host), or it ended with its last session.
  }
}
