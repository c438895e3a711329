// Landing an attempt's branch on the base branch, all or nothing: everything that can refuse is checked
// first, and the one step that changes the base either completes or is undone to the exact previous state.
import { ProtocolError } from '@vibe/protocol';
import { validateBranchName } from './branch-name.js';
import { changedFiles, checkoutOf, rebaseInProgress, UNCOMMITTED, unmergedFiles } from './checkouts.js';
import { execGit, firstLine, gitOrThrow, type GitRunner } from './git-runner.js';
import { pathExists, requireBaseBranch } from './repo.js';

export type MergeMode = 'squash' | 'rebase' | 'merge';

export interface MergeOptions {
  repo: string;
  baseBranch: string;
  branch: string;
  /** The attempt's worktree; may already be gone (the branch is what lands). */
  worktree: string;
  mode: MergeMode;
  /** Commit message for squash and merge (a fast-forward makes no commit). */
  message: string;
  /** For messages that tell the user what to run next. */
  taskNumber: number;
}

/** What the checks found, handed to applyMerge so it acts on exactly what was checked. */
export interface MergePlan {
  baseTip: string;
  branchTip: string;
  /** The checkout that has the base branch checked out (clean), if any. */
  checkout: string | undefined;
}

/**
 * Refuses (`conflict`, nothing touched) when the attempt is mid-rebase or has uncommitted changes, the base
 * branch is checked out somewhere with uncommitted changes, the branch has nothing to land, or the base moved
 * since the attempt forked — naming the conflicting files when a merge would conflict.
 */
export async function planMerge(options: MergeOptions, git: GitRunner = execGit): Promise<MergePlan> {
  const { repo, baseBranch, branch, worktree, taskNumber } = options;
  await validateBranchName(git, baseBranch, repo, 'base branch');
  await validateBranchName(git, branch, repo);
  await requireBaseBranch(git, repo, baseBranch);
  const branchTip = await tip(git, repo, branch);
  if (!branchTip) throw new ProtocolError('not_found', `the attempt's branch "${branch}" no longer exists`);
  if (await pathExists(worktree)) {
    // Mid-rebase the branch still points at its old commits and the worktree at half-rebased ones: neither
    // is what should land, and the unmerged files would otherwise read as mere uncommitted changes.
    if (await rebaseInProgress(worktree, git)) {
      throw new ProtocolError(
        'conflict',
        `the attempt's worktree is in the middle of a rebase (\`vibe task rebase --ask-agent\` leaves it so for the agent): let the agent finish it, or undo it with \`git rebase --abort\` in ${worktree} — nothing was changed`,
        { worktree },
      );
    }
    if ((await changedFiles(worktree, true, git)).length > 0) throw new ProtocolError('conflict', UNCOMMITTED);
  }
  const checkout = await checkoutOf(repo, baseBranch, git);
  if (checkout !== undefined) {
    const dirty = await changedFiles(checkout, false, git);
    if (dirty.length > 0) {
      throw new ProtocolError(
        'conflict',
        `${checkout} has the base branch "${baseBranch}" checked out with uncommitted changes (${dirty.length} file${dirty.length === 1 ? '' : 's'}); commit or stash them first — nothing was changed`,
        { files: dirty },
      );
    }
  }
  const baseTip = (await tip(git, repo, baseBranch))!;
  if (await isAncestor(git, repo, branchTip, baseTip)) {
    throw new ProtocolError('conflict', `branch "${branch}" has nothing that "${baseBranch}" does not already have; nothing to merge`);
  }
  if (!(await isAncestor(git, repo, baseTip, branchTip))) {
    const conflicts = await trialConflicts(git, repo, baseTip, branchTip);
    if (conflicts.length > 0) throw conflictError(conflicts, taskNumber);
    throw new ProtocolError('conflict', `the base moved; run \`vibe task rebase ${taskNumber}\` first — nothing was changed`);
  }
  return { baseTip, branchTip, checkout };
}

/**
 * Lands the planned merge and returns the base branch's new tip. In a checkout that has the base branch,
 * git's own merge runs there (its files must follow) and any failure is undone with `reset --merge` to the
 * previous HEAD. Elsewhere no checkout is touched: the base is an ancestor of the branch (planMerge made
 * sure), so the merged tree is the branch's tree, and the new commit is written with commit-tree and
 * published with a compare-and-swap update-ref — a base that moved meanwhile changes nothing.
 */
export async function applyMerge(options: MergeOptions, plan: MergePlan, git: GitRunner = execGit): Promise<string> {
  const { repo, baseBranch, branch, mode, message } = options;
  if (plan.checkout !== undefined) return mergeInCheckout(options, plan.checkout, git);
  let commit = plan.branchTip;
  if (mode !== 'rebase') {
    const parents = mode === 'merge' ? ['-p', plan.baseTip, '-p', plan.branchTip] : ['-p', plan.baseTip];
    commit = (await gitOrThrow(git, ['commit-tree', `${plan.branchTip}^{tree}`, ...parents, '-m', message], repo)).trim();
  }
  const updated = await git(['update-ref', '-m', `vibe: ${mode} ${branch}`, `refs/heads/${baseBranch}`, commit, plan.baseTip], repo);
  if (updated.code !== 0) {
    throw new ProtocolError('conflict', `"${baseBranch}" changed while merging (${firstLine(updated.stderr)}); nothing was changed — try again`);
  }
  return commit;
}

async function mergeInCheckout({ baseBranch, branch, mode, message, taskNumber }: MergeOptions, checkout: string, git: GitRunner): Promise<string> {
  const before = (await gitOrThrow(git, ['rev-parse', '--verify', 'HEAD'], checkout)).trim();
  const ref = `refs/heads/${branch}`;
  const steps: string[][] =
    mode === 'squash'
      ? [['merge', '--squash', ref], ['commit', '-q', '-m', message]]
      : mode === 'merge'
        ? [['merge', '--no-ff', '-m', message, ref]]
        : [['merge', '--ff-only', ref]];
  for (const args of steps) {
    // GIT_EDITOR: nothing may wait for an editor in a daemon.
    const result = await git(args, checkout, { env: { GIT_EDITOR: 'true', GIT_MERGE_AUTOEDIT: 'no' } });
    if (result.code === 0) continue;
    const conflicts = await unmergedFiles(checkout, git).catch(() => []);
    const reset = await git(['reset', '-q', '--merge', before], checkout);
    if (reset.code !== 0) {
      throw new ProtocolError('internal', `git ${args[0]} failed in ${checkout} and undoing it failed too (${firstLine(reset.stderr)}); HEAD was ${before}`);
    }
    if (conflicts.length > 0) throw conflictError(conflicts, taskNumber);
    throw new ProtocolError('conflict', `git ${args[0]} into "${baseBranch}" failed in ${checkout}: ${firstLine(result.stderr) || firstLine(result.stdout)} — nothing was changed`);
  }
  return (await gitOrThrow(git, ['rev-parse', '--verify', 'HEAD'], checkout)).trim();
}

export function conflictError(files: string[], taskNumber: number): ProtocolError {
  const count = `${files.length} file${files.length === 1 ? '' : 's'}`;
  return new ProtocolError(
    'conflict',
    `merge conflicts in ${count}: ${files.join(', ')} — nothing was changed; run \`vibe task rebase ${taskNumber} --ask-agent\``,
    { files },
  );
}

/** The files a merge of the two commits would conflict in, computed without any worktree (git ≥ 2.38). */
async function trialConflicts(git: GitRunner, repo: string, ours: string, theirs: string): Promise<string[]> {
  const result = await git(['merge-tree', '--write-tree', '--name-only', '--no-messages', ours, theirs], repo);
  if (result.code !== 1) return []; // clean (0), or an older git without --write-tree: just "the base moved"
  return [...new Set(result.stdout.split('\n').slice(1).filter((line) => line !== ''))];
}

async function tip(git: GitRunner, repo: string, branch: string): Promise<string | undefined> {
  const result = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], repo);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

async function isAncestor(git: GitRunner, repo: string, ancestor: string, of: string): Promise<boolean> {
  const result = await git(['merge-base', '--is-ancestor', ancestor, of], repo);
  if (result.code > 1 || result.code < 0) throw new ProtocolError('internal', `git merge-base failed in ${repo}: ${firstLine(result.stderr)}`);
  return result.code === 0;
}
