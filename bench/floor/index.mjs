// Starts the attach bench's floor (see daemon.mjs) on a tmux session: a pass-through daemon and a
// pass-through relay, and the two client commands that go through them. Both processes are killed by
// `dispose`, by pid; every wait is bounded.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function startFloor({ dir, tmuxSocket, session }) {
  const socket = join(dir, 'floor.sock');
  const started = [];
  try {
    const daemon = await start(started, [join(here, 'daemon.mjs'), socket, tmuxSocket, session]);
    const relay = await start(started, [join(here, 'relay.mjs'), /listening (\d+)/.exec(daemon.line)[1]]);
    const port = /listening (\d+)/.exec(relay.line)[1];
    return {
      pids: { daemon: daemon.child.pid, relay: relay.child.pid },
      clients: {
        floor: { command: process.execPath, args: [join(here, 'client.mjs'), socket] },
        'floor+relay': { command: process.execPath, args: [join(here, 'client.mjs'), port] },
      },
      dispose: () => kill(started),
    };
  } catch (error) {
    kill(started);
    throw error;
  }
}

/** Starts `node ARGS` and waits (at most 10 s) for its first line, `listening…`. */
function start(started, args) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`floor: ${args[0]} did not start`)), 10_000);
    let out = '';
    child.stdout.on('data', (bytes) => {
      out += bytes;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve({ child, line: out.split('\n')[0] });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`floor: ${args[0]} exited (${code})`));
    });
  });
}

function kill(children) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
