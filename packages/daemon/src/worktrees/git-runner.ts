// Runs git as an argv array (never through a shell), behind an injectable function so tests can see each call.
import { execFile } from 'node:child_process';
import { ProtocolError } from '@vibe/protocol';

export interface GitResult {
  /** Exit code; a signal or a timeout shows as -1. */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * One git invocation: `git <args...>` in `cwd`. Resolves for every exit code (callers decide what a
 * failure means) and rejects only when git cannot be started at all.
 */
export type GitRunner = (args: readonly string[], cwd: string) => Promise<GitResult>;

const TIMEOUT_MS = 5 * 60_000; // `worktree add` runs the repo's post-checkout hook (e.g. LFS), which can be slow
const MAX_BUFFER = 64 * 1024 * 1024;

/**
 * simple-git was the design's pick; a direct execFile wrapper is used instead because every call here
 * needs the exit code and both streams, tests assert exact argv, and nothing else from simple-git is used.
 */
export const execGit: GitRunner = (args, cwd) =>
  new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, env: gitEnv(process.env), timeout: TIMEOUT_MS, maxBuffer: MAX_BUFFER }, (error, stdout, stderr) => {
      // execFile puts an errno string (ENOENT, EACCES) on `code` when git never ran, the exit status otherwise.
      const status: unknown = error ? (error as { code?: unknown }).code : 0;
      if (typeof status === 'string') {
        const why = status === 'ENOENT' ? 'git is not on PATH (or the directory is missing)' : (error as Error).message;
        reject(new ProtocolError('internal', `cannot run git in ${cwd}: ${why}`, undefined, { cause: error }));
        return;
      }
      const code = typeof status === 'number' ? status : -1;
      resolve({ code, stdout, stderr });
    });
  });

/** GIT_* variables that configure git rather than point it at a repository; everything else GIT_* is dropped. */
const KEEP = new Set(['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM', 'GIT_EXEC_PATH', 'GIT_SSH', 'GIT_SSH_COMMAND']);

/**
 * The daemon's environment without the GIT_* variables a parent git may have set (GIT_DIR, GIT_WORK_TREE,
 * GIT_INDEX_FILE, `-c` parameters… when vibe is started from a git hook), which would point every call at
 * the wrong repository; with prompts off and messages in a locale we can quote.
 */
export function gitEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!key.startsWith('GIT_') || KEEP.has(key)) clean[key] = value;
  return { ...clean, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
}

/** Runs git and returns stdout, or throws a ProtocolError naming the command and git's own message. */
export async function gitOrThrow(git: GitRunner, args: readonly string[], cwd: string, code: 'conflict' | 'internal' = 'internal'): Promise<string> {
  const result = await git(args, cwd);
  if (result.code !== 0) throw new ProtocolError(code, `git ${args[0] ?? ''} failed in ${cwd}: ${firstLine(result.stderr) || `exit ${result.code}`}`);
  return result.stdout;
}

/** The first non-empty line of git's stderr, without git's "fatal: " prefix. */
export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^(fatal|error): /, '').trim();
}
