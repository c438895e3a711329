// Creating and removing one attempt's worktree and branch, refusing anything that would overwrite or lose work.
import { isAbsolute, resolve } from 'node:path';
import { realpath } from 'node:fs/promises';
import { ProtocolError } from '@vibe/protocol';
import type { Logger } from '../logger.js';
import { forgetWorktreeRecords } from './agent-records.js';
import { BRANCH_PREFIX, validateBranchName } from './branch-name.js';
import { execGit, firstLine, gitOrThrow, type GitRunner } from './git-runner.js';
import { branchExists, isInside, pathExists, repoRoot, requireBaseBranch } from './repo.js';

export interface CreateWorktreeOptions {
  repo: string;
  baseBranch: string;
  /** Absolute path under vibe's data directory; must not exist yet and must not be inside `repo`. */
  path: string;
  branch: string;
}

/** `git worktree add --no-track -b <branch> -- <path> refs/heads/<base>`, after checking nothing would be clobbered. */
export async function createWorktree({ repo, baseBranch, path, branch }: CreateWorktreeOptions, git: GitRunner = execGit): Promise<void> {
  if (!isAbsolute(path)) throw new ProtocolError('invalid_params', `worktree path must be absolute, got ${JSON.stringify(path)}`);
  const root = await repoRoot(git, repo);
  if (await isInside(path, root)) {
    throw new ProtocolError('invalid_params', `worktree path ${path} is inside the repository ${root}; attempts live outside the user's checkout`);
  }
  await validateBranchName(git, branch, repo);
  await validateBranchName(git, baseBranch, repo, 'base branch');
  if (await pathExists(path)) throw new ProtocolError('conflict', `worktree path ${path} already exists; vibe never reuses or overwrites a directory`);
  if (await branchExists(git, repo, branch)) throw new ProtocolError('conflict', `branch "${branch}" already exists in ${root}; vibe never reuses a branch`);
  await requireBaseBranch(git, repo, baseBranch);
  // --no-track: with branch.autoSetupMerge=always the attempt would otherwise push to the base branch.
  const added = await git(['worktree', 'add', '--no-track', '-b', branch, '--', path, `refs/heads/${baseBranch}`], repo);
  if (added.code === 0) return;
  await undoCreate(git, repo, path, branch);
  throw new ProtocolError('conflict', `git worktree add failed for ${path}: ${firstLine(added.stderr) || `exit ${added.code}`}`);
}

/** Best effort after a failed `worktree add` (a failing post-checkout hook, a full disk): leave nothing behind. */
async function undoCreate(git: GitRunner, repo: string, path: string, branch: string): Promise<void> {
  if (await pathExists(path)) await git(['worktree', 'remove', '--force', '--', path], repo);
  await git(['worktree', 'prune'], repo);
  if (await branchExists(git, repo, branch)) await git(['branch', '-D', branch], repo);
}

export interface RemoveWorktreeOptions {
  repo: string;
  path: string;
  /** Must be a branch vibe created (`vibe/…`); vibe never deletes the user's own branches. */
  branch: string;
  force: boolean;
  /** Only report what removal would lose; touch nothing (for checking several attempts before removing any). */
  dryRun?: boolean;
  /** Remove the worktree only; the branch stays (after a merge with keepBranch). */
  keepBranch?: boolean;
  /** Told what could not be tidied beside the worktree (an agent's file naming it); silent by default. */
  logger?: Logger;
}

export interface RemoveWorktreeResult {
  /** Commits on the branch that no other branch, tag or remote-tracking branch holds: lost with the branch. */
  unmergedCommits: number;
  /** The worktree has changes or untracked files (vibe's excluded files do not count). */
  dirty: boolean;
  /** False with `dryRun`, or when something would be lost and `force` was not given; nothing was touched then. */
  removed: boolean;
}

/**
 * Reports what removal would lose; removes the worktree and branch only with `force` or when nothing would be
 * lost, and then the entries agent CLIs keep under its path (Gemini's trust). Safe to run again after a
 * removal that stopped part-way: what is already gone is skipped.
 */
export async function removeWorktree(
  { repo, path, branch, force, dryRun = false, keepBranch = false, logger }: RemoveWorktreeOptions,
  git: GitRunner = execGit,
): Promise<RemoveWorktreeResult> {
  if (!branch.startsWith(BRANCH_PREFIX)) throw new ProtocolError('invalid_params', `vibe only deletes branches it created (${BRANCH_PREFIX}…), not "${branch}"`);
  await validateBranchName(git, branch, repo);
  const root = await repoRoot(git, repo);
  if (!isAbsolute(path)) throw new ProtocolError('invalid_params', `worktree path must be absolute, got ${JSON.stringify(path)}`);
  const present = await pathExists(path);
  const registered = present && (await isRegisteredWorktree(git, root, path));
  if (present && !registered) {
    throw new ProtocolError('conflict', `${path} exists but is not a worktree of ${root}; vibe will not delete it (if it is what a failed removal left, delete it yourself and run the command again)`);
  }
  const hasBranch = await branchExists(git, repo, branch);
  const unmerged = hasBranch ? await onlyOnBranch(git, repo, branch) : 0;
  const dirty = registered ? await isDirty(git, path) : false;
  if (dryRun || (!force && (dirty || unmerged > 0))) return { unmergedCommits: unmerged, dirty, removed: false };
  if (registered) {
    // Without `force` git re-checks cleanliness itself, so a file written since isDirty() is not lost.
    const args = force ? ['worktree', 'remove', '--force', '--force', '--', path] : ['worktree', 'remove', '--', path];
    await gitOrThrow(git, args, repo, 'conflict');
  }
  await git(['worktree', 'prune'], repo);
  if (hasBranch && !keepBranch) await gitOrThrow(git, ['branch', '-D', branch], repo, 'conflict');
  await forgetWorktreeRecords(path, { logger });
  return { unmergedCommits: unmerged, dirty, removed: true };
}

export interface UnmergedCommitsOptions {
  repo: string;
  branch: string;
  baseBranch: string;
}

/** Commits on `branch` that `baseBranch` does not contain. */
export async function unmergedCommits({ repo, branch, baseBranch }: UnmergedCommitsOptions, git: GitRunner = execGit): Promise<number> {
  await validateBranchName(git, branch, repo);
  await validateBranchName(git, baseBranch, repo, 'base branch');
  for (const name of [branch, baseBranch]) {
    if (!(await branchExists(git, repo, name))) throw new ProtocolError('not_found', `branch "${name}" does not exist in ${repo}`);
  }
  const out = await gitOrThrow(git, ['rev-list', '--count', `refs/heads/${baseBranch}..refs/heads/${branch}`, '--'], repo);
  return Number.parseInt(out.trim(), 10);
}

/** Commits reachable from the branch and from no other branch, tag or remote-tracking branch. */
async function onlyOnBranch(git: GitRunner, repo: string, branch: string): Promise<number> {
  // --exclude patterns for --branches are relative to refs/heads/; a validated name holds no glob characters.
  const args = ['rev-list', '--count', `refs/heads/${branch}`, '--not', `--exclude=${branch}`, '--branches', '--tags', '--remotes', '--'];
  return Number.parseInt((await gitOrThrow(git, args, repo)).trim(), 10);
}

async function isDirty(git: GitRunner, worktree: string): Promise<boolean> {
  const out = await gitOrThrow(git, ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=all'], worktree);
  return out.trim() !== '';
}

async function isRegisteredWorktree(git: GitRunner, root: string, path: string): Promise<boolean> {
  const out = await gitOrThrow(git, ['worktree', 'list', '--porcelain'], root);
  const target = await realpath(resolve(path));
  for (const line of out.split('\n')) {
    if (!line.startsWith('worktree ')) continue;
    const listed = line.slice('worktree '.length);
    if (listed === root) continue; // never the main checkout
    if ((await realpath(listed).catch(() => listed)) === target) return true;
  }
  return false;
}
