// Runs a program other than git (gh) as an argv array with a time limit; injectable so tests need no gh.
import { execFile } from 'node:child_process';

export interface CommandResult {
  /** Exit code; -1 when the program could not be started, was killed or timed out. */
  code: number;
  stdout: string;
  stderr: string;
}

export type CommandRunner = (command: string, args: readonly string[], cwd: string, timeoutMs: number) => Promise<CommandResult>;

export const runCommand: CommandRunner = (command, args, cwd, timeoutMs) =>
  new Promise((resolve) => {
    execFile(command, [...args], { cwd, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, GH_PROMPT_DISABLED: '1', NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const status: unknown = error ? (error as { code?: unknown }).code : 0;
      resolve({ code: typeof status === 'number' ? status : -1, stdout, stderr });
    });
  });
