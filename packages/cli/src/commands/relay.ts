// `vibe relay [options]`: runs the relay server (@vibe/relay-server) in the foreground with the options given,
// as `npx @vibe/relay-server` would; signals go to it and its exit code is vibe's.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { CliError } from '../errors.js';

export async function relay(args: readonly string[]): Promise<never> {
  let entry: string;
  try {
    entry = process.env.VIBE_RELAY_ENTRY || createRequire(import.meta.url).resolve('@vibe/relay-server/main');
  } catch (error) {
    throw new CliError('this vibe was installed without @vibe/relay-server; install it (`npm i -g @vibe/relay-server`) and run vibe-relay', 1, { cause: error });
  }
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
