// Landing and rebasing attempts on real repositories: every mode, with the base checked out or not, and
// every refusal leaving the repository exactly as it was.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMerge, planMerge, type MergeMode } from './merge.js';
import { rebaseAttempt } from './rebase.js';
import { git, tempRepo } from './temp-repo.js';
import { createWorktree } from './worktree.js';

async function attempt(files: Record<string, string> = { 'a.txt': 'a\n', 'b.txt': 'b\n' }) {
  const fixture = tempRepo(files);
  git(fixture.repo, 'config', 'user.name', 'vibe test');
  git(fixture.repo, 'config', 'user.email', 'test@vibe.invalid');
  const worktree = join(fixture.data, 'wt');
  await createWorktree({ repo: fixture.repo, baseBranch: 'main', path: worktree, branch: 'vibe/1-a' });
  const work = (rel: string, content: string, message = `edit ${rel}`): void => {
    writeFileSync(join(worktree, rel), content);
    git(worktree, 'add', '-A');
    git(worktree, 'commit', '-qm', message);
  };
  const merge = async (mode: MergeMode = 'squash') => {
    const options = { repo: fixture.repo, baseBranch: 'main', branch: 'vibe/1-a', worktree, mode, message: 'Task 1', taskNumber: 1 };
    return applyMerge(options, await planMerge(options));
  };
  /** Everything a user could see of the repository. */
  const snapshot = () => ({
    head: git(fixture.repo, 'rev-parse', 'HEAD'),
    main: git(fixture.repo, 'rev-parse', 'main'),
    branch: git(fixture.repo, 'rev-parse', 'vibe/1-a'),
    status: git(fixture.repo, 'status', '--porcelain'),
    wtStatus: git(worktree, 'status', '--porcelain'),
    files: ['a.txt', 'b.txt'].map((f) => (existsSync(join(fixture.repo, f)) ? readFileSync(join(fixture.repo, f), 'utf8') : null)),
    wtFiles: ['a.txt', 'b.txt'].map((f) => (existsSync(join(worktree, f)) ? readFileSync(join(worktree, f), 'utf8') : null)),
  });
  return { ...fixture, worktree, work, merge, snapshot };
}

describe('merging with the base checked out in the user\'s checkout', () => {
  it('squash makes one commit on main and updates the files', async () => {
    const { repo, work, merge } = await attempt();
    work('a.txt', 'one\n');
    work('b.txt', 'two\n');
    const commit = await merge('squash');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(commit);
    expect(git(repo, 'log', '--format=%s', 'main')).toBe('Task 1\ninitial');
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('one\n');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('merge makes a merge commit with both parents', async () => {
    const { repo, work, merge } = await attempt();
    work('a.txt', 'one\n');
    const commit = await merge('merge');
    expect(git(repo, 'rev-list', '--parents', '-n1', commit).split(' ')).toHaveLength(3);
    expect(git(repo, 'log', '-1', '--format=%s', 'main')).toBe('Task 1');
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('one\n');
  });

  it('rebase fast-forwards main to the agent\'s own commits', async () => {
    const { repo, work, merge } = await attempt();
    work('a.txt', 'one\n');
    work('b.txt', 'two\n');
    const commit = await merge('rebase');
    expect(commit).toBe(git(repo, 'rev-parse', 'vibe/1-a'));
    expect(git(repo, 'log', '--format=%s', 'main')).toBe('edit b.txt\nedit a.txt\ninitial');
    expect(readFileSync(join(repo, 'b.txt'), 'utf8')).toBe('two\n');
  });

  it('undoes a merge git stops half way (an untracked file in the way) and changes nothing', async () => {
    const { repo, work, merge, snapshot } = await attempt();
    work('new.txt', 'from the agent\n');
    writeFileSync(join(repo, 'new.txt'), 'the user\'s scratch file\n');
    const before = snapshot();
    await expect(merge('squash')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('nothing was changed') });
    expect(snapshot()).toEqual(before);
    expect(readFileSync(join(repo, 'new.txt'), 'utf8')).toBe('the user\'s scratch file\n');
  });
});

describe('merging with the base not checked out anywhere', () => {
  it.each(['squash', 'merge', 'rebase'] as const)('%s moves main and touches no checkout', async (mode) => {
    const { repo, work, merge } = await attempt();
    git(repo, 'switch', '-q', '-c', 'elsewhere');
    work('a.txt', 'one\n');
    const before = { head: git(repo, 'rev-parse', 'HEAD'), status: git(repo, 'status', '--porcelain') };
    const commit = await merge(mode);
    expect(git(repo, 'rev-parse', 'main')).toBe(commit);
    expect(git(repo, 'show', 'main:a.txt')).toBe('one');
    expect(git(repo, 'rev-list', '--parents', '-n1', commit).split(' ')).toHaveLength(mode === 'merge' ? 3 : 2);
    expect({ head: git(repo, 'rev-parse', 'HEAD'), status: git(repo, 'status', '--porcelain') }).toEqual(before);
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('a\n');
  });
});

describe('refusals that change nothing', () => {
  it('reports conflicts file by file', async () => {
    const { write, commit, work, merge, snapshot } = await attempt();
    work('a.txt', 'agent a\n');
    work('b.txt', 'agent b\n');
    write('a.txt', 'user a\n');
    write('b.txt', 'user b\n');
    commit('user edits');
    const before = snapshot();
    const error = await merge().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'conflict',
      message: 'merge conflicts in 2 files: a.txt, b.txt — nothing was changed; run `vibe task rebase 1 --ask-agent`',
      data: { files: ['a.txt', 'b.txt'] },
    });
    expect(snapshot()).toEqual(before);
  });

  it('refuses a base checkout with uncommitted changes', async () => {
    const { repo, work, merge, snapshot } = await attempt();
    work('a.txt', 'one\n');
    writeFileSync(join(repo, 'b.txt'), 'unsaved\n');
    const before = snapshot();
    await expect(merge()).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/checked out with uncommitted changes \(1 file\)/) });
    expect(snapshot()).toEqual(before);
  });

  it('refuses uncommitted work in the attempt', async () => {
    const { worktree, work, merge } = await attempt();
    work('a.txt', 'one\n');
    writeFileSync(join(worktree, 'loose.txt'), 'x\n');
    await expect(merge()).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('the attempt has uncommitted changes') });
  });

  it('refuses a moved base until a rebase brings the branch up to date', async () => {
    const { repo, worktree, write, commit, work, merge, snapshot } = await attempt();
    work('a.txt', 'one\n');
    write('b.txt', 'user b\n');
    commit('user edits b');
    const before = snapshot();
    await expect(merge()).rejects.toMatchObject({ code: 'conflict', message: 'the base moved; run `vibe task rebase 1` first — nothing was changed' });
    expect(snapshot()).toEqual(before);
    expect(await rebaseAttempt({ repo, worktree, baseBranch: 'main' })).toEqual({ outcome: 'rebased', files: [] });
    expect(await rebaseAttempt({ repo, worktree, baseBranch: 'main' })).toEqual({ outcome: 'up_to_date', files: [] });
    await merge();
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('one\n');
    expect(readFileSync(join(repo, 'b.txt'), 'utf8')).toBe('user b\n');
  });

  it('refuses a branch with nothing to land', async () => {
    const { merge } = await attempt();
    await expect(merge()).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('nothing to merge') });
  });
});

describe('rebaseAttempt on conflict', () => {
  it('aborts and leaves the worktree exactly as before', async () => {
    const { repo, worktree, write, commit, work, snapshot } = await attempt();
    work('a.txt', 'agent a\n');
    write('a.txt', 'user a\n');
    commit('user edits a');
    const before = snapshot();
    expect(await rebaseAttempt({ repo, worktree, baseBranch: 'main' })).toEqual({ outcome: 'conflict', files: ['a.txt'] });
    expect(snapshot()).toEqual(before);
  });

  it('can leave the rebase in progress for the agent, and refuses another until it is finished', async () => {
    const { repo, worktree, write, commit, work } = await attempt();
    work('a.txt', 'agent a\n');
    write('a.txt', 'user a\n');
    commit('user edits a');
    expect(await rebaseAttempt({ repo, worktree, baseBranch: 'main', keepConflict: true })).toEqual({ outcome: 'conflict', files: ['a.txt'] });
    expect(readFileSync(join(worktree, 'a.txt'), 'utf8')).toContain('<<<<<<<');
    await expect(rebaseAttempt({ repo, worktree, baseBranch: 'main' })).rejects.toMatchObject({ message: expect.stringContaining('already in progress') });
  });
});
