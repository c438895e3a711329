// The attempt diff over real repositories: committed, uncommitted and untracked changes against the merge base.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attemptDiff, parseFiles } from './diff.js';
import { excludeFromGit } from './exclude.js';
import { git, tempRepo } from './temp-repo.js';
import { createWorktree } from './worktree.js';

async function attempt(files: Record<string, string>) {
  const fixture = tempRepo(files);
  const worktree = join(fixture.data, 'wt');
  await createWorktree({ repo: fixture.repo, baseBranch: 'main', path: worktree, branch: 'vibe/1-a' });
  return { ...fixture, worktree, options: { repo: fixture.repo, worktree, baseBranch: 'main', branch: 'vibe/1-a' } };
}

describe('attemptDiff', () => {
  it('includes commits, uncommitted edits and untracked files, but not the base moving on or vibe\'s excluded files', async () => {
    const { repo, worktree, write, commit, options } = await attempt({ 'a.txt': 'one\ntwo\n', 'old.txt': 'same content here\n', 'gone.txt': 'x\n' });
    writeFileSync(join(worktree, 'a.txt'), 'one\nTWO\nthree\n');
    git(worktree, 'commit', '-qam', 'edit a');
    git(worktree, 'mv', 'old.txt', 'new.txt');
    git(worktree, 'rm', '-q', 'gone.txt');
    writeFileSync(join(worktree, 'fresh.txt'), 'untracked\n');
    writeFileSync(join(worktree, 'bin.dat'), Buffer.from([0, 1, 2, 0, 255]));
    await excludeFromGit(worktree, ['/CLAUDE.local.md']);
    writeFileSync(join(worktree, 'CLAUDE.local.md'), 'instructions\n');
    write('base-only.txt', 'later\n');
    commit('base moves on');
    const statusBefore = git(worktree, 'status', '--porcelain');
    const indexBefore = readFileSync(join(repo, '.git', 'worktrees', 'wt', 'index'));

    const diff = await attemptDiff(options);

    expect(diff.mergeBase).toBe(git(repo, 'rev-parse', 'main~1'));
    const byPath = Object.fromEntries(diff.files.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual(['a.txt', 'bin.dat', 'fresh.txt', 'gone.txt', 'new.txt']);
    expect(byPath['a.txt']).toMatchObject({ status: 'modified', additions: 2, deletions: 1, binary: false, oldPath: null });
    expect(byPath['new.txt']).toMatchObject({ status: 'renamed', oldPath: 'old.txt' });
    expect(byPath['gone.txt']).toMatchObject({ status: 'deleted', deletions: 1 });
    expect(byPath['fresh.txt']).toMatchObject({ status: 'added', additions: 1 });
    expect(byPath['bin.dat']).toMatchObject({ status: 'added', binary: true });
    expect(diff.patch).toContain('+untracked');
    expect(diff.patch).toContain('+TWO');
    expect(diff.patch).not.toContain('instructions');
    expect(diff.patch).not.toContain('base-only');
    expect(diff.truncated).toBe(false);
    // The throwaway index changed nothing the agent sees.
    expect(git(worktree, 'status', '--porcelain')).toBe(statusBefore);
    expect(readFileSync(join(repo, '.git', 'worktrees', 'wt', 'index'))).toEqual(indexBefore);
  });

  it('cuts a patch at the limit and says so; stat leaves the patch out', async () => {
    const { worktree, options } = await attempt({ 'a.txt': 'a\n' });
    writeFileSync(join(worktree, 'big.txt'), 'é'.repeat(50_000));
    const cut = await attemptDiff({ ...options, maxPatchBytes: 1001 });
    expect(cut.truncated).toBe(true);
    expect(Buffer.byteLength(cut.patch)).toBeLessThanOrEqual(1001);
    expect(cut.patch).not.toContain('\uFFFD');
    const stat = await attemptDiff({ ...options, stat: true });
    expect(stat).toMatchObject({ patch: '', truncated: false, files: [{ path: 'big.txt', status: 'added' }] });
  });

  it('diffs the branch alone once the worktree is gone', async () => {
    const { repo, worktree, options } = await attempt({ 'a.txt': 'a\n' });
    writeFileSync(join(worktree, 'a.txt'), 'b\n');
    git(worktree, 'commit', '-qam', 'b');
    git(repo, 'worktree', 'remove', worktree);
    const diff = await attemptDiff(options);
    expect(diff.files).toEqual([{ path: 'a.txt', oldPath: null, status: 'modified', additions: 1, deletions: 1, binary: false }]);
    git(repo, 'branch', '-D', 'vibe/1-a');
    await expect(attemptDiff(options)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('parseFiles', () => {
  it('reads renames from the split fields of -z output', () => {
    expect(parseFiles('1\t0\t\0a\0b\0-\t-\tc\0', 'R090\0a\0b\0A\0c\0')).toEqual([
      { path: 'b', oldPath: 'a', status: 'renamed', additions: 1, deletions: 0, binary: false },
      { path: 'c', oldPath: null, status: 'added', additions: 0, deletions: 0, binary: true },
    ]);
  });
});
