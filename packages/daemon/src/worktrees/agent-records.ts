// What agent CLIs remember about a folder by its path, forgotten when vibe removes the worktree it names,
// so a removed worktree leaves no trust behind for whatever later takes its path. Gemini CLI keeps two:
//   ~/.gemini/trusted_hooks.json  { "<folder>": ["<hook key>", …] }  the project hooks it has shown there;
//   ~/.gemini/trustedFolders.json { "<folder>": "TRUST_FOLDER" | "TRUST_PARENT" | "DO_NOT_TRUST" }  the
//     user's answers to its trust dialog (where GEMINI_CLI_TRUSTED_FOLDERS_PATH points, if set).
// Gemini keys both by the folder it ran in as the kernel reports it (symlinks resolved; lower case on macOS
// and Windows in trustedFolders.json). Its chat history (~/.gemini/tmp, projects.json) is the user's and stays.
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { chmod, mkdir, readFile, realpath, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { nullLogger, type Logger } from '../logger.js';
import { withoutMembers } from './json-members.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ForgetOptions {
  /** HOME and GEMINI_CLI_* as the agents see them (the daemon's environment). */
  env?: Env;
  logger?: Logger;
}

/** Gemini CLI's files that name folders, found as Gemini finds them (agents/gemini-trust.ts reads the second). */
export function geminiRecordFiles(env: Env = process.env): { file: string; lock: boolean }[] {
  // Gemini takes GEMINI_CLI_HOME in place of the home directory, and ignores it when empty.
  const gemini = join(env.GEMINI_CLI_HOME || env.HOME || homedir(), '.gemini');
  return [
    { file: join(gemini, 'trusted_hooks.json'), lock: false },
    // Gemini locks this one (proper-lockfile: a `<file>.lock` directory) while it records an answer.
    { file: env.GEMINI_CLI_TRUSTED_FOLDERS_PATH || join(gemini, 'trustedFolders.json'), lock: true },
  ];
}

/**
 * Drops the entries keyed by `worktree` from each file that exists: only those, every other byte kept, written
 * to a temporary file and renamed over the real one (a symlinked file is followed) with its mode. A file that is
 * missing stays missing; one vibe cannot read as a JSON object is left alone, with a log line. Never throws.
 */
export async function forgetWorktreeRecords(worktree: string, { env = process.env, logger = nullLogger }: ForgetOptions = {}): Promise<void> {
  const names = new Set([normalize(worktree), normalize(physicalPath(worktree))]);
  for (const { file, lock } of geminiRecordFiles(env)) {
    try {
      await dropKeys(file, (key) => names.has(normalize(key)), lock, logger);
    } catch (error) {
      logger.warn('could not forget a removed worktree in an agent file; its entry stays', { file, worktree, error });
    }
  }
}

async function dropKeys(file: string, drop: (key: string) => boolean, lock: boolean, logger: Logger): Promise<void> {
  let real: string;
  try {
    real = await realpath(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const release = lock ? await lockFile(real) : undefined;
  if (lock && !release) {
    logger.warn('an agent file stayed locked; the removed worktree\'s entry stays', { file });
    return;
  }
  try {
    const text = await readFile(real, 'utf8');
    const edited = withoutMembers(text, drop);
    if (edited === undefined) {
      logger.warn('left an agent file alone: it is not a JSON object vibe can edit', { file });
      return;
    }
    if (edited === text) return;
    const { mode } = await stat(real);
    const temp = join(dirname(real), `.${basename(real)}.vibe-${randomBytes(6).toString('hex')}`);
    try {
      await writeFile(temp, edited, { flag: 'wx', mode: 0o600 });
      await chmod(temp, mode & 0o7777);
      await rename(temp, real);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    logger.info('forgot a removed worktree in an agent file', { file });
  } finally {
    await release?.();
  }
}

/** proper-lockfile's lock, as Gemini takes it; undefined when it stays held for a second. */
async function lockFile(real: string): Promise<(() => Promise<void>) | undefined> {
  const lock = `${real}.lock`;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      await mkdir(lock);
      return () => rmdir(lock).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await new Promise((done) => setTimeout(done, 50));
    }
  }
  return undefined;
}

/** The path with symlinks resolved as far as it still exists (the worktree itself is gone by now). */
function physicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(physicalPath(parent), basename(path));
  }
}

/** Gemini compares folder keys resolved, and case-blind where the file system usually is. */
function normalize(path: string): string {
  const absolute = resolve(path);
  return process.platform === 'darwin' || process.platform === 'win32' ? absolute.toLowerCase() : absolute;
}
