// `node runner.js <spec.json>`: what a session's terminal runs — the project's setup script, then the agent.
// Running both in the session makes setup output visible to anyone attached, like the agent's own.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { sessionEnv } from './session-env.js';

export interface RunnerSpec {
  /** Shell command from `vibe project set --setup`, run with sh -c in the worktree; null for none. */
  setup: string | null;
  /** The agent's argv, run directly. */
  argv: string[];
  /** Extra environment for the agent (hook token and socket among them), over the daemon's minus CI markers. */
  env: Record<string, string>;
}

const bold = (text: string): string => `\x1b[1m${text}\x1b[0m`;

function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', env });
    // The terminal delivers Ctrl-C to the whole foreground group; forwarded signals cover `vibe task stop`.
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
    for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
    process.on('SIGINT', () => {});
    child.on('error', (error) => {
      process.stderr.write(`vibe: cannot start ${argv[0]}: ${error.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? signalNumber(signal) : 0)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

async function main(): Promise<void> {
  const specPath = process.argv[2];
  if (!specPath) throw new Error('usage: runner.js <spec.json>');
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as RunnerSpec;
  // The spec holds the hook token: it has been read, so it need not stay on disk.
  rmSync(specPath, { force: true });
  const env = sessionEnv(process.env, spec.env);
  if (spec.setup) {
    process.stdout.write(`${bold('vibe: setup')} $ ${spec.setup}\r\n`);
    const code = await run(['/bin/sh', '-c', spec.setup], env);
    if (code !== 0) {
      process.stdout.write(`${bold('vibe: setup failed')} (exit ${code}); the agent was not started\r\n`);
      process.exit(code);
    }
  }
  process.exit(await run(spec.argv, env));
}

main().catch((error: unknown) => {
  process.stderr.write(`vibe runner: ${(error as Error).message}\n`);
  process.exit(1);
});
