// An attempt's changes against the point it forked from, the worktree's uncommitted and untracked files
// included, read through a throwaway index so nothing the user or the agent sees is touched.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ProtocolError, type DiffFile } from '@vibe/protocol';
import { validateBranchName } from './branch-name.js';
import { execGit, execGitCapped, gitOrThrow, type CappedGitRunner, type GitRunner } from './git-runner.js';
import { branchExists, pathExists } from './repo.js';

/** Patches past this are cut (`truncated`): a client renders a few MiB, not a vendored directory. */
export const MAX_PATCH_BYTES = 8 * 1024 * 1024;

export interface AttemptDiffOptions {
  repo: string;
  worktree: string;
  baseBranch: string;
  branch: string;
  /** Files only: skip reading the patch text. */
  stat?: boolean;
  maxPatchBytes?: number;
}

export interface AttemptDiff {
  mergeBase: string;
  files: DiffFile[];
  patch: string;
  truncated: boolean;
}

// Plain, stable output whatever the user's config says: no colour, no external or textconv drivers.
const DIFF = ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '-M'];

/**
 * With the worktree present: a copy of its index gets `git add -A` (so untracked files count, and vibe's
 * excluded files stay out — the copy keeps stat data, so only changed files are hashed), then is diffed
 * against the merge base. Without it (removed after a merge with keepBranch): the branch's commits only.
 */
export async function attemptDiff(options: AttemptDiffOptions, git: GitRunner = execGit, capped: CappedGitRunner = execGitCapped): Promise<AttemptDiff> {
  const { repo, worktree, baseBranch, branch } = options;
  await validateBranchName(git, baseBranch, repo, 'base branch');
  await validateBranchName(git, branch, repo);
  const live = await pathExists(worktree);
  if (!live && !(await branchExists(git, repo, branch))) {
    throw new ProtocolError('not_found', `the attempt's worktree ${worktree} and branch "${branch}" are both gone (merged or cleaned up)`);
  }
  const cwd = live ? worktree : repo;
  const head = live ? 'HEAD' : `refs/heads/${branch}`;
  const mergeBase = (await gitOrThrow(git, ['merge-base', `refs/heads/${baseBranch}`, head], cwd)).trim();
  if (!live) return read(git, capped, cwd, [mergeBase, head], mergeBase, options);

  const scratch = await mkdtemp(join(tmpdir(), 'vibe-diff-'));
  try {
    const index = join(scratch, 'index');
    const real = resolve(worktree, (await gitOrThrow(git, ['rev-parse', '--git-path', 'index'], worktree)).replace(/\n$/, ''));
    if (await pathExists(real)) await copyFile(real, index);
    const env = { GIT_INDEX_FILE: index };
    await gitOrThrow(git, ['add', '-A', '--', '.'], worktree, 'internal', env);
    return await read(git, capped, worktree, ['--cached', mergeBase], mergeBase, options, env);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function read(
  git: GitRunner,
  capped: CappedGitRunner,
  cwd: string,
  range: string[],
  mergeBase: string,
  options: AttemptDiffOptions,
  env?: Record<string, string>,
): Promise<AttemptDiff> {
  const numstat = await gitOrThrow(git, [...DIFF, '--numstat', '-z', ...range, '--'], cwd, 'internal', env);
  const nameStatus = await gitOrThrow(git, [...DIFF, '--name-status', '-z', ...range, '--'], cwd, 'internal', env);
  const files = parseFiles(numstat, nameStatus);
  if (options.stat) return { mergeBase, files, patch: '', truncated: false };
  const patch = await capped([...DIFF, ...range, '--'], cwd, options.maxPatchBytes ?? MAX_PATCH_BYTES, { env });
  if (patch.code !== 0) throw new ProtocolError('internal', `git diff failed in ${cwd}: ${patch.stderr.trim()}`);
  return { mergeBase, files, patch: patch.stdout, truncated: patch.truncated };
}

const STATUS: Record<string, DiffFile['status']> = { A: 'added', D: 'deleted', R: 'renamed', C: 'added', M: 'modified', T: 'modified' };

/** Joins `--numstat -z` (counts; `-` for binary) with `--name-status -z` (status, rename source) by path. */
export function parseFiles(numstat: string, nameStatus: string): DiffFile[] {
  const counts = new Map<string, { additions: number; deletions: number; binary: boolean }>();
  const nums = numstat.split('\0');
  for (let i = 0; i < nums.length; i++) {
    const entry = nums[i]!;
    if (entry === '') continue;
    const [add = '', del = '', path = ''] = entry.split('\t');
    // A rename is `add\tdel\t` followed by the old and new path as their own fields.
    const target = path === '' ? nums[(i += 2)]! : path;
    const binary = add === '-';
    counts.set(target, { additions: binary ? 0 : Number(add), deletions: binary ? 0 : Number(del), binary });
  }
  const files: DiffFile[] = [];
  const names = nameStatus.split('\0');
  for (let i = 0; i < names.length; i++) {
    const code = names[i]!;
    if (code === '') continue;
    const letter = code[0]!;
    const twoPaths = letter === 'R' || letter === 'C';
    const oldPath = twoPaths ? names[++i]! : null;
    const path = names[++i]!;
    const count = counts.get(path) ?? { additions: 0, deletions: 0, binary: false };
    files.push({ path, oldPath: letter === 'R' ? oldPath : null, status: STATUS[letter] ?? 'modified', ...count });
  }
  return files;
}
