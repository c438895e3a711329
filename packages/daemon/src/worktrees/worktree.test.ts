// Worktree create/remove against real git: exact argv, clear refusals that leave nothing behind, what removal would lose.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorktree, removeWorktree, unmergedCommits } from './worktree.js';
import { git, recordingGit, tempRepo } from './temp-repo.js';

const branches = (repo: string): string[] => git(repo, 'branch', '--format=%(refname:short)').split('\n').sort();
const worktrees = (repo: string): number => git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length;

describe('createWorktree', () => {
  it('adds a worktree on a new branch from the base branch, with pathspec-safe argv', async () => {
    const { repo, data } = tempRepo({ 'a.txt': 'a\n' });
    git(repo, 'config', 'branch.autoSetupMerge', 'always');
    const path = join(data, 'wt');
    const { git: runner, calls } = recordingGit();
    await createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' }, runner);
    expect(calls).toContainEqual(['worktree', 'add', '--no-track', '-b', 'vibe/1-a', '--', path, 'refs/heads/main']);
    expect(git(path, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('vibe/1-a');
    expect(git(path, 'rev-parse', 'HEAD')).toBe(git(repo, 'rev-parse', 'main'));
    expect(existsSync(join(path, 'a.txt'))).toBe(true);
    expect(() => git(path, 'config', '--get', 'branch.vibe/1-a.merge')).toThrow(); // no upstream, even with autoSetupMerge=always
  });

  it('branches from the base branch even when the checkout is elsewhere', async () => {
    const { repo, data, write, commit } = tempRepo();
    git(repo, 'switch', '-q', '-c', 'feature');
    write('f.txt', 'feature\n');
    commit('feature work');
    await createWorktree({ repo, baseBranch: 'main', path: join(data, 'wt'), branch: 'vibe/2-x' });
    expect(existsSync(join(data, 'wt', 'f.txt'))).toBe(false);
  });

  it('refuses an existing path and creates nothing', async () => {
    const { repo, data } = tempRepo();
    const path = join(data, 'taken');
    mkdirSync(path);
    await expect(createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' })).rejects.toMatchObject({
      code: 'conflict',
      message: `worktree path ${path} already exists; vibe never reuses or overwrites a directory`,
    });
    expect(branches(repo)).toEqual(['main']);
  });

  it('refuses an existing branch and creates nothing', async () => {
    const { repo, data } = tempRepo();
    git(repo, 'branch', 'vibe/1-a');
    const path = join(data, 'wt');
    await expect(createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('branch "vibe/1-a" already exists'),
    });
    expect(existsSync(path)).toBe(false);
    expect(worktrees(repo)).toBe(1);
  });

  it('refuses a missing base branch and creates nothing', async () => {
    const { repo, data } = tempRepo();
    const path = join(data, 'wt');
    await expect(createWorktree({ repo, baseBranch: 'trunk', path, branch: 'vibe/1-a' })).rejects.toMatchObject({ code: 'not_found' });
    expect(existsSync(path)).toBe(false);
    expect(branches(repo)).toEqual(['main']);
  });

  it('refuses a path inside the user checkout, or a relative one', async () => {
    const { repo } = tempRepo();
    await expect(createWorktree({ repo, baseBranch: 'main', path: join(repo, '.vibe', 'wt'), branch: 'vibe/1-a' })).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringContaining('is inside the repository'),
    });
    await expect(createWorktree({ repo, baseBranch: 'main', path: 'wt', branch: 'vibe/1-a' })).rejects.toMatchObject({ code: 'invalid_params' });
    expect(branches(repo)).toEqual(['main']);
  });

  it('cleans up when git itself fails part-way (a failing post-checkout hook)', async () => {
    const { repo, data } = tempRepo();
    writeFileSync(join(repo, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const path = join(data, 'wt');
    await expect(createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' })).rejects.toMatchObject({ code: 'conflict' });
    expect(existsSync(path)).toBe(false);
    expect(branches(repo)).toEqual(['main']);
    expect(worktrees(repo)).toBe(1);
  });
});

describe('removeWorktree', () => {
  it('removes a clean worktree with nothing unmerged, and its branch', async () => {
    const { repo, data } = tempRepo();
    const path = join(data, 'wt');
    await createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' });
    await expect(removeWorktree({ repo, path, branch: 'vibe/1-a', force: false })).resolves.toEqual({ unmergedCommits: 0, dirty: false, removed: true });
    expect(existsSync(path)).toBe(false);
    expect(branches(repo)).toEqual(['main']);
    expect(worktrees(repo)).toBe(1);
  });

  it('reports commits and changes that would be lost, and keeps everything without force', async () => {
    const { repo, data } = tempRepo();
    const path = join(data, 'wt');
    await createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' });
    writeFileSync(join(path, 'one.txt'), '1\n');
    git(path, 'add', 'one.txt');
    git(path, 'commit', '-q', '-m', 'one');
    writeFileSync(join(path, 'two.txt'), '2\n');
    git(path, 'add', 'two.txt');
    git(path, 'commit', '-q', '-m', 'two');
    writeFileSync(join(path, 'untracked.txt'), 'draft\n');
    await expect(removeWorktree({ repo, path, branch: 'vibe/1-a', force: false })).resolves.toEqual({ unmergedCommits: 2, dirty: true, removed: false });
    expect(existsSync(join(path, 'untracked.txt'))).toBe(true);
    expect(branches(repo)).toContain('vibe/1-a');

    await expect(removeWorktree({ repo, path, branch: 'vibe/1-a', force: true })).resolves.toEqual({ unmergedCommits: 2, dirty: true, removed: true });
    expect(existsSync(path)).toBe(false);
    expect(branches(repo)).toEqual(['main']);
  });

  it('with dryRun reports and removes nothing, even a clean worktree', async () => {
    const { repo, data } = tempRepo();
    const path = join(data, 'wt');
    await createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' });
    await expect(removeWorktree({ repo, path, branch: 'vibe/1-a', force: true, dryRun: true })).resolves.toEqual({ unmergedCommits: 0, dirty: false, removed: false });
    expect(existsSync(path)).toBe(true);
    expect(branches(repo)).toContain('vibe/1-a');
  });

  it('counts a branch merged into another branch as nothing lost', async () => {
    const { repo, data } = tempRepo();
    const path = join(data, 'wt');
    await createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' });
    writeFileSync(join(path, 'one.txt'), '1\n');
    git(path, 'add', 'one.txt');
    git(path, 'commit', '-q', '-m', 'one');
    git(repo, 'merge', '-q', '--ff-only', 'vibe/1-a');
    await expect(removeWorktree({ repo, path, branch: 'vibe/1-a', force: false })).resolves.toMatchObject({ unmergedCommits: 0, removed: true });
  });

  it('still deletes the branch when the worktree directory is already gone', async () => {
    const { repo, data } = tempRepo();
    const path = join(data, 'wt');
    await createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' });
    git(repo, 'worktree', 'remove', '--force', path);
    await expect(removeWorktree({ repo, path, branch: 'vibe/1-a', force: false })).resolves.toEqual({ unmergedCommits: 0, dirty: false, removed: true });
    expect(branches(repo)).toEqual(['main']);
  });

  it('never deletes a branch vibe did not create, nor a directory that is not its worktree', async () => {
    const { repo, data } = tempRepo();
    await expect(removeWorktree({ repo, path: join(data, 'x'), branch: 'main', force: true })).rejects.toMatchObject({ code: 'invalid_params' });
    const stranger = join(data, 'stranger');
    mkdirSync(stranger);
    writeFileSync(join(stranger, 'keep.txt'), 'mine\n');
    await expect(removeWorktree({ repo, path: stranger, branch: 'vibe/1-a', force: true })).rejects.toMatchObject({ code: 'conflict' });
    await expect(removeWorktree({ repo, path: repo, branch: 'vibe/1-a', force: true })).rejects.toMatchObject({ code: 'conflict' });
    expect(existsSync(join(stranger, 'keep.txt'))).toBe(true);
    expect(existsSync(join(repo, 'README.md'))).toBe(true);
  });
});

describe('unmergedCommits', () => {
  it('counts commits on the branch that the base branch lacks', async () => {
    const { repo, data } = tempRepo();
    const path = join(data, 'wt');
    await createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' });
    expect(await unmergedCommits({ repo, branch: 'vibe/1-a', baseBranch: 'main' })).toBe(0);
    git(path, 'commit', '-q', '--allow-empty', '-m', 'work');
    expect(await unmergedCommits({ repo, branch: 'vibe/1-a', baseBranch: 'main' })).toBe(1);
    git(repo, 'merge', '-q', '--ff-only', 'vibe/1-a');
    expect(await unmergedCommits({ repo, branch: 'vibe/1-a', baseBranch: 'main' })).toBe(0);
  });

  it('names a missing branch', async () => {
    const { repo } = tempRepo();
    await expect(unmergedCommits({ repo, branch: 'vibe/9-gone', baseBranch: 'main' })).rejects.toMatchObject({
      code: 'not_found',
      message: `branch "vibe/9-gone" does not exist in ${repo}`,
    });
  });
});
