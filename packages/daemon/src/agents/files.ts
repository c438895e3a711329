// Writing an agent's per-attempt files into its worktree, and reading the repository's own instruction
// files, without ever following a symlink out of the worktree.
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, realpath } from 'node:fs/promises';
import { join, posix, sep } from 'node:path';
import { ProtocolError } from '@vibe/protocol';

/**
 * Refuses absolute paths, `..` escapes, anything under `.git`, and names git or a gitignore line could not
 * hold; returns the normalised relative path.
 */
export function safeRelativePath(rel: string, what = 'path'): string {
  const normal = posix.normalize(rel);
  const segments = normal.split('/');
  const bad =
    rel === '' ||
    /[\0\n\r]/.test(rel) ||
    normal.startsWith('/') ||
    normal === '.' ||
    normal.endsWith('/') ||
    segments.includes('..') ||
    segments.some((s) => s.toLowerCase() === '.git' || s.endsWith(' '));
  if (bad) throw new ProtocolError('invalid_params', `${what} ${JSON.stringify(rel)} must be a file path inside the worktree (not absolute, no "..", not under .git)`);
  return normal;
}

/**
 * Writes each file under `worktree`, creating directories as needed. A symlink anywhere on the way (a
 * tracked `.claude -> /etc` say) is refused rather than followed, so nothing lands outside the worktree.
 */
export async function writeAgentFiles(worktree: string, files: ReadonlyArray<{ path: string; content: string }>): Promise<void> {
  for (const file of files) {
    const rel = safeRelativePath(file.path, 'agent file');
    const parts = rel.split('/');
    let dir = worktree;
    for (const part of parts.slice(0, -1)) {
      dir = join(dir, part);
      const info = await lstat(dir).catch(() => undefined);
      if (info === undefined) await mkdir(dir);
      else if (!info.isDirectory()) throw new ProtocolError('conflict', `cannot write ${rel}: ${dir} is not a directory (or is a symlink)`);
    }
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
    const handle = await open(join(dir, parts[parts.length - 1]!), flags, 0o644).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ELOOP') throw new ProtocolError('conflict', `cannot write ${rel}: it is a symlink in the worktree`);
      throw error;
    });
    try {
      await handle.writeFile(file.content);
    } finally {
      await handle.close();
    }
  }
}

/** The repository's own copy of `rel` in the worktree, or undefined when absent or pointing outside it. */
export async function readRepoFile(worktree: string, rel: string): Promise<string | undefined> {
  try {
    const [real, root] = await Promise.all([realpath(join(worktree, rel)), realpath(worktree)]);
    if (!real.startsWith(root + sep)) return undefined; // a symlink out of the worktree is not the repo's text
    return await readFile(real, 'utf8');
  } catch {
    return undefined;
  }
}

/** Text as a file body: ends with exactly one newline. */
export function asFileText(text: string): string {
  return `${text.replace(/\n+$/, '')}\n`;
}

/** Two blocks of text separated by a blank line, either possibly empty. */
export function joinText(first: string, second: string): string {
  return [first.replace(/\s+$/, ''), second].filter((part) => part.trim() !== '').join('\n\n');
}
