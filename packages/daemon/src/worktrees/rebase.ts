// Bringing an attempt's branch up to date with its base in the attempt's own worktree; a conflict is either
// undone (the worktree exactly as before) or left in progress for the agent to resolve.
import { ProtocolError } from '@vibe/protocol';
import { validateBranchName } from './branch-name.js';
import { changedFiles, rebaseInProgress, UNCOMMITTED, unmergedFiles } from './checkouts.js';
import { execGit, firstLine, gitOrThrow, type GitRunner } from './git-runner.js';
import { pathExists, requireBaseBranch } from './repo.js';

export interface RebaseOptions {
  repo: string;
  worktree: string;
  baseBranch: string;
  /** On conflict, leave the rebase in progress (for the agent) instead of aborting it. */
  keepConflict?: boolean;
}

export interface RebaseOutcome {
  outcome: 'rebased' | 'up_to_date' | 'conflict';
  files: string[];
}

const NO_EDITOR = { GIT_EDITOR: 'true', GIT_SEQUENCE_EDITOR: 'true' };

export async function rebaseAttempt({ repo, worktree, baseBranch, keepConflict = false }: RebaseOptions, git: GitRunner = execGit): Promise<RebaseOutcome> {
  await validateBranchName(git, baseBranch, repo, 'base branch');
  await requireBaseBranch(git, repo, baseBranch);
  if (!(await pathExists(worktree))) throw new ProtocolError('not_found', `the attempt's worktree ${worktree} is gone; there is nothing to rebase`);
  if (await rebaseInProgress(worktree, git)) {
    throw new ProtocolError('conflict', `a rebase is already in progress in ${worktree}; finish it (\`git rebase --continue\`) or undo it (\`git rebase --abort\`) there`);
  }
  if ((await changedFiles(worktree, true, git)).length > 0) throw new ProtocolError('conflict', UNCOMMITTED);
  const base = `refs/heads/${baseBranch}`;
  const upToDate = await git(['merge-base', '--is-ancestor', base, 'HEAD'], worktree);
  if (upToDate.code === 0) return { outcome: 'up_to_date', files: [] };
  const rebased = await git(['rebase', '--no-autostash', base], worktree, { env: NO_EDITOR });
  if (rebased.code === 0) return { outcome: 'rebased', files: [] };
  const files = await unmergedFiles(worktree, git);
  if (files.length > 0 && keepConflict) return { outcome: 'conflict', files };
  const aborted = await git(['rebase', '--abort'], worktree);
  if (aborted.code !== 0) throw new ProtocolError('internal', `git rebase failed in ${worktree} and --abort failed too: ${firstLine(aborted.stderr)}`);
  if (files.length > 0) return { outcome: 'conflict', files };
  throw new ProtocolError('conflict', `git rebase failed in ${worktree}: ${firstLine(rebased.stderr) || firstLine(rebased.stdout)} — it was undone`);
}

/** Undoes a rebase left in progress (when handing it to an agent failed). */
export async function abortRebase(worktree: string, git: GitRunner = execGit): Promise<void> {
  await gitOrThrow(git, ['rebase', '--abort'], worktree);
}
