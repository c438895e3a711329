// Which checkout (the user's or a linked worktree) has a branch checked out, and whether a tree is clean:
// what landing and rebasing ask before they touch anything.
import { execGit, gitOrThrow, type GitRunner } from './git-runner.js';
import { pathExists } from './repo.js';

/** The worktree (main checkout included) that has `refs/heads/<branch>` checked out, if any. */
export async function checkoutOf(repo: string, branch: string, git: GitRunner = execGit): Promise<string | undefined> {
  const out = await gitOrThrow(git, ['worktree', 'list', '--porcelain'], repo);
  let path: string | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('worktree ')) path = line.slice('worktree '.length);
    else if (line === `branch refs/heads/${branch}`) return path;
  }
  return undefined;
}

/** Changes in the tree: tracked only (the user's checkout, where scratch files are normal) or untracked too. */
export async function changedFiles(worktree: string, untracked: boolean, git: GitRunner = execGit): Promise<string[]> {
  // --no-optional-locks: never take the index lock in a checkout someone may be using.
  const args = ['--no-optional-locks', 'status', '--porcelain', '-z', untracked ? '--untracked-files=all' : '--untracked-files=no'];
  const out = await gitOrThrow(git, args, worktree);
  const files: string[] = [];
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i]!;
    if (entry === '') continue;
    files.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') i++; // the rename's source follows as its own field
  }
  return files;
}

/** Files left unmerged by a stopped merge or rebase. */
export async function unmergedFiles(worktree: string, git: GitRunner = execGit): Promise<string[]> {
  const out = await gitOrThrow(git, ['diff', '--name-only', '-z', '--diff-filter=U'], worktree);
  return [...new Set(out.split('\0').filter((f) => f !== ''))];
}

/** Whether a rebase stopped part-way in this worktree (a conflict left for the agent, or for the user). */
export async function rebaseInProgress(worktree: string, git: GitRunner = execGit): Promise<boolean> {
  for (const name of ['rebase-merge', 'rebase-apply']) {
    const path = (await gitOrThrow(git, ['rev-parse', '--path-format=absolute', '--git-path', name], worktree)).trim();
    if (await pathExists(path)) return true;
  }
  return false;
}

export const UNCOMMITTED = "the attempt has uncommitted changes; ask the agent to commit them or use `vibe task review`";
