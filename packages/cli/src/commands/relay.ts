// `vibe relay [options]`: runs the relay server (@vibe/relay-server, built into the CLI) in the foreground with the options given,
// as `npx @vibe/relay-server` would; signals go to it and its exit code is vibe's.
import { spawn } from 'node:child_process';
import { relayMainPath } from '../parts.js';

export async function relay(args: readonly string[]): Promise<never> {
  const entry = process.env.VIBE_RELAY_ENTRY || relayMainPath();
  const child = spawn(process.execPath, [entry, ...args], { stdio: 'inherit' });
  // Ctrl-C reaches the relay from the terminal itself (same process group); vibe only waits for it to stop.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1)));
  });
  process.exit(code);
}
