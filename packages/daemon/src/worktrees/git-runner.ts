// Runs git as an argv array (never through a shell), behind an injectable function so tests can see each call.
import { execFile, spawn } from 'node:child_process';
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
export type GitRunner = (args: readonly string[], cwd: string, options?: GitCallOptions) => Promise<GitResult>;

export interface GitCallOptions {
  /** Added after the cleaned environment (e.g. GIT_INDEX_FILE for a throwaway index). */
  env?: Record<string, string>;
  /** Default 5 minutes; a network call (push) passes less. */
  timeoutMs?: number;
}

const TIMEOUT_MS = 5 * 60_000; // `worktree add` runs the repo's post-checkout hook (e.g. LFS), which can be slow
const MAX_BUFFER = 64 * 1024 * 1024;

/**
 * simple-git was the design's pick; a direct execFile wrapper is used instead because every call here
 * needs the exit code and both streams, tests assert exact argv, and nothing else from simple-git is used.
 */
export const execGit: GitRunner = (args, cwd, options = {}) =>
  new Promise((resolve, reject) => {
    const env = { ...gitEnv(process.env), ...options.env };
    execFile('git', [...args], { cwd, env, timeout: options.timeoutMs ?? TIMEOUT_MS, maxBuffer: MAX_BUFFER }, (error, stdout, stderr) => {
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
export async function gitOrThrow(
  git: GitRunner,
  args: readonly string[],
  cwd: string,
  code: 'conflict' | 'internal' = 'internal',
  env?: Record<string, string>,
): Promise<string> {
  const result = await git(args, cwd, env ? { env } : undefined);
  if (result.code !== 0) throw new ProtocolError(code, `git ${args[0] ?? ''} failed in ${cwd}: ${firstLine(result.stderr) || `exit ${result.code}`}`);
  return result.stdout;
}

/** The first non-empty line of git's stderr, without git's "fatal: " prefix. */
export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/^(fatal|error): /, '').trim();
}

/** stdout cut at a byte limit: the rest is discarded and git is stopped, so a huge diff costs no memory. */
export interface CappedResult extends GitResult {
  truncated: boolean;
}

export type CappedGitRunner = (args: readonly string[], cwd: string, maxBytes: number, options?: GitCallOptions) => Promise<CappedResult>;

/** Like execGit, but keeps at most `maxBytes` of stdout (for patches, which can be any size). */
export const execGitCapped: CappedGitRunner = (args, cwd, maxBytes, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn('git', [...args], { cwd, env: { ...gitEnv(process.env), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return;
      if (size + chunk.length > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        child.kill('SIGTERM');
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ProtocolError('internal', `cannot run git in ${cwd}: ${error.message}`, undefined, { cause: error }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      // A cut can fall inside a multi-byte character: drop the partial tail rather than emit U+FFFD.
      let out = Buffer.concat(chunks);
      if (truncated) out = out.subarray(0, lastCompleteUtf8(out));
      resolve({ code: truncated ? 0 : (code ?? -1), stdout: out.toString('utf8'), stderr, truncated });
    });
  });

function lastCompleteUtf8(buf: Buffer): number {
  const end = buf.length;
  let back = 0;
  while (end - back - 1 >= 0 && back < 4 && (buf[end - back - 1]! & 0xc0) === 0x80) back++;
  const lead = end - back - 1;
  if (lead < 0) return end;
  const byte = buf[lead]!;
  const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return need === back + 1 ? end : lead;
}
