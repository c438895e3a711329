// Branch names for task attempts: built from the task title so they read well, shaped so git and shells
// cannot mistake them for anything but a name.
import { ProtocolError } from '@vibe/protocol';
import { firstLine, type GitRunner } from './git-runner.js';

/** Every branch vibe creates starts with this; removal refuses to delete any other branch. */
export const BRANCH_PREFIX = 'vibe/';
const SLUG_MAX = 40;

/**
 * `vibe/<n>-<slug>` for the first attempt and `vibe/<n>-<slug>-<attempt>` after. The slug holds only
 * `[a-z0-9-]`, so it can never start with `-`, hold `..`, `@{`, spaces, control or glob characters.
 */
export function branchName(taskNumber: number, title: string, attempt: number): string {
  if (!Number.isSafeInteger(taskNumber) || taskNumber < 1) throw new ProtocolError('invalid_params', `task number must be a positive integer, got ${taskNumber}`);
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new ProtocolError('invalid_params', `attempt must be a positive integer, got ${attempt}`);
  const base = `${BRANCH_PREFIX}${taskNumber}-${slugify(title)}`;
  return attempt === 1 ? base : `${base}-${attempt}`;
}

/** Lowercase ASCII words from the title, joined by `-`, cut at a word boundary near SLUG_MAX; `task` when none. */
export function slugify(title: string): string {
  const words = title
    .normalize('NFKD') // "Café" → "Cafe" + a combining accent, dropped on the next line
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length > SLUG_MAX) {
      if (slug === '') slug = word.slice(0, SLUG_MAX); // one very long word: cut it
      break;
    }
    slug = next;
  }
  return slug === '' ? 'task' : slug;
}

/**
 * Refuses a branch name git would reject or misread: checked here first for what `check-ref-format`
 * would expand or parse as an option (`@{-1}`, a leading `-`), then by git itself.
 */
export async function validateBranchName(git: GitRunner, name: string, cwd: string, what = 'branch name'): Promise<void> {
  if (name === '' || name.startsWith('-') || name.includes('@{') || /[\x00-\x20\x7f]/.test(name)) {
    throw new ProtocolError('invalid_params', `${what} ${JSON.stringify(name)} is not a valid git branch name`);
  }
  const result = await git(['check-ref-format', '--branch', name], cwd);
  if (result.code !== 0) {
    const why = firstLine(result.stderr);
    throw new ProtocolError('invalid_params', `${what} ${JSON.stringify(name)} is not a valid git branch name${why ? ` (${why})` : ''}`);
  }
}
