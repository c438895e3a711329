// The worktrees room's public entry: one git worktree and branch per task attempt, made from the project's
// base branch outside the user's checkout, and vibe's own files kept out of git's sight.
export { branchName, slugify, validateBranchName, BRANCH_PREFIX } from './branch-name.js';
export { checkBaseBranch, preflight, type PreflightOptions } from './preflight.js';
export {
  createWorktree,
  removeWorktree,
  unmergedCommits,
  type CreateWorktreeOptions,
  type RemoveWorktreeOptions,
  type RemoveWorktreeResult,
  type UnmergedCommitsOptions,
} from './worktree.js';
export { excludeFromGit, isTracked, EXCLUDE_MARKER } from './exclude.js';
export { execGit, execGitCapped, gitEnv, gitOrThrow, type CappedGitRunner, type GitCallOptions, type GitResult, type GitRunner } from './git-runner.js';
export { attemptDiff, MAX_PATCH_BYTES, type AttemptDiff, type AttemptDiffOptions } from './diff.js';
export { applyMerge, planMerge, conflictError, type MergeMode, type MergeOptions, type MergePlan } from './merge.js';
export { abortRebase, rebaseAttempt, type RebaseOptions, type RebaseOutcome } from './rebase.js';
export { compareUrl, gitHubCompareUrl, pushBranch } from './push.js';
export { pullRequestRemotes, type PullRequestRemotes, type PullRequestWanted } from './pull-request-remotes.js';
export { repoArgument, sameRepo, type GitHubRepo } from './remote-url.js';
export { changedFiles, checkoutOf, unmergedFiles } from './checkouts.js';
