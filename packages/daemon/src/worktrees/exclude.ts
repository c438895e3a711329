// Keeps vibe's per-attempt files (agent instructions, hook settings) out of status, commits, diffs and merges
// through the repository's own info/exclude, never its tracked .gitignore.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, posix, resolve } from 'node:path';
import { ProtocolError } from '@vibe/protocol';
import { execGit, gitOrThrow, type GitRunner } from './git-runner.js';

export const EXCLUDE_MARKER = '# vibe: per-attempt agent files';

/** Serialises read-modify-write of one exclude file: attempts of one repository may start together. */
const pending = new Map<string, Promise<void>>();

/**
 * Appends the root-anchored `patterns` (e.g. `/CLAUDE.local.md`) to a marked block in the exclude file git
 * uses for `worktree`. Linked worktrees share `$GIT_COMMON_DIR/info/exclude`, so the block also applies to
 * the user's checkout and to every other attempt; it is written once and only grows. Idempotent.
 */
export async function excludeFromGit(worktree: string, patterns: string[], git: GitRunner = execGit): Promise<void> {
  for (const pattern of patterns) checkPattern(pattern);
  const relative = (await gitOrThrow(git, ['rev-parse', '--git-path', 'info/exclude'], worktree)).replace(/\n$/, '');
  const file = resolve(worktree, relative);
  const previous = pending.get(file) ?? Promise.resolve();
  const next = previous.then(() => addToBlock(file, patterns));
  const settled = next.catch(() => undefined);
  pending.set(file, settled);
  try {
    await next;
  } finally {
    if (pending.get(file) === settled) pending.delete(file);
  }
}

async function addToBlock(file: string, patterns: string[]): Promise<void> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  let start = lines.indexOf(EXCLUDE_MARKER);
  if (start === -1) {
    if (lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
    lines.push(EXCLUDE_MARKER);
    start = lines.length - 1;
  }
  let end = start + 1; // the block runs to the next blank or comment line
  while (end < lines.length && lines[end] !== '' && !lines[end]!.startsWith('#')) end++;
  const have = new Set(lines.slice(start + 1, end));
  const missing = [...new Set(patterns)].filter((pattern) => !have.has(pattern));
  if (missing.length === 0 && text.includes(EXCLUDE_MARKER)) return;
  lines.splice(end, 0, ...missing);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.vibe-${process.pid}.tmp`;
  await writeFile(temp, `${lines.join('\n')}\n`);
  await rename(temp, file);
}

/** A pattern must be one root-anchored line that git reads as written (no negation, no trailing blank). */
function checkPattern(pattern: string): void {
  if (!/^\/[^\n\r\0]+$/.test(pattern) || pattern.endsWith(' ') || pattern === '/') {
    throw new ProtocolError('invalid_params', `exclude pattern ${JSON.stringify(pattern)} must be one root-anchored line like "/CLAUDE.local.md"`);
  }
}

/** True when `relPath` (relative to the worktree root) is a tracked file, or a directory holding tracked files. */
export async function isTracked(worktree: string, relPath: string, git: GitRunner = execGit): Promise<boolean> {
  const rel = normalRelative(relPath);
  // --literal-pathspecs: a name like `*.md` or `:(top)` is a file name here, not a pattern.
  const out = await gitOrThrow(git, ['--literal-pathspecs', 'ls-files', '-z', '--', rel], worktree);
  return out.split('\0').some((entry) => entry === rel || entry.startsWith(`${rel}/`));
}

/** `a/./b/` → `a/b`; refuses absolute paths and anything that climbs out of the worktree. */
export function normalRelative(relPath: string): string {
  const rel = posix.normalize(relPath).replace(/\/+$/, '');
  if (relPath === '' || rel === '.' || rel.startsWith('/') || rel === '..' || rel.startsWith('../') || rel.includes('\0')) {
    throw new ProtocolError('invalid_params', `path ${JSON.stringify(relPath)} must be relative to the worktree and stay inside it`);
  }
  return rel;
}
