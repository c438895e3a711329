// Checks made before an attempt starts, so a bad repository or base branch is refused before anything exists.
import { ProtocolError } from '@vibe/protocol';
import { validateBranchName } from './branch-name.js';
import { execGit, type GitRunner } from './git-runner.js';
import { repoRoot, requireBaseBranch } from './repo.js';

export interface PreflightOptions {
  /** The user's checkout, as registered for the project. */
  repo: string;
  baseBranch: string;
}

/**
 * Throws a ProtocolError (`not_found`, `conflict` or `invalid_params`) when an attempt cannot start cleanly:
 * the repository is missing or not a checkout, the base branch is missing or not a local branch, or the
 * checkout is on the base branch with uncommitted changes that the attempt would silently not contain.
 * A detached HEAD in the checkout is fine: attempts branch from the base branch's name, not from HEAD.
 */
export async function preflight({ repo, baseBranch }: PreflightOptions, git: GitRunner = execGit): Promise<void> {
  await checkBaseBranch({ repo, baseBranch }, git);
  await requireCleanBase(git, repo, baseBranch);
}

/** The repository exists and `baseBranch` is one of its local branches: what `vibe project set --base` needs. */
export async function checkBaseBranch({ repo, baseBranch }: PreflightOptions, git: GitRunner = execGit): Promise<void> {
  await repoRoot(git, repo);
  await validateBranchName(git, baseBranch, repo, 'base branch');
  await requireBaseBranch(git, repo, baseBranch);
}

/**
 * Only changes to tracked files count: untracked files (build output, scratch notes) are common in a
 * working checkout and refusing on them would block nearly every start.
 */
async function requireCleanBase(git: GitRunner, repo: string, baseBranch: string): Promise<void> {
  const head = await git(['symbolic-ref', '--quiet', 'HEAD'], repo);
  if (head.code !== 0 || head.stdout.trim() !== `refs/heads/${baseBranch}`) return; // detached, or another branch
  // --no-optional-locks: never take the index lock in the user's checkout (they may be running git themselves).
  const status = await git(['--no-optional-locks', 'status', '--porcelain', '--untracked-files=no'], repo);
  if (status.code !== 0) throw new ProtocolError('internal', `git status failed in ${repo}: ${status.stderr.trim()}`);
  if (status.stdout.trim() === '') return;
  const files = status.stdout.split('\n').filter((line) => line !== '').length;
  throw new ProtocolError(
    'conflict',
    `${repo} is on the base branch "${baseBranch}" with uncommitted changes (${files} file${files === 1 ? '' : 's'}) that the attempt would not contain; commit or stash them first`,
  );
}
