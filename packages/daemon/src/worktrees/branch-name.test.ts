// Branch names from hostile and ordinary titles: always safe, readable, and accepted by real git.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '@vibe/protocol';
import { branchName, slugify, validateBranchName } from './branch-name.js';
import { createWorktree } from './worktree.js';
import { git, recordingGit, tempRepo } from './temp-repo.js';

const SAFE = /^vibe\/[1-9][0-9]*-[a-z0-9]+(-[a-z0-9]+)*$/;

describe('branchName', () => {
  it('reads as the task number and title, with the attempt number after the first', () => {
    expect(branchName(7, 'Fix the flaky login test', 1)).toBe('vibe/7-fix-the-flaky-login-test');
    expect(branchName(7, 'Fix the flaky login test', 2)).toBe('vibe/7-fix-the-flaky-login-test-2');
  });

  it.each([
    ['--upload-pack=touch /tmp/x', 'upload-pack-touch-tmp-x'],
    ['../../etc', 'etc'],
    ['$(id)', 'id'],
    ['`rm -rf ~`', 'rm-rf'],
    ['feature@{upstream}..main', 'feature-upstream-main'],
    ['Café crème: ünïcödé', 'cafe-creme-unicode'],
    ['日本語のタスク', 'task'],
    ['', 'task'],
    ['   ---   ', 'task'],
    ['a\u0000b\nc\td', 'a-b-c-d'],
    ['x.lock', 'x-lock'],
    ['what? *now* [ok] ~^:\\', 'what-now-ok'],
  ])('turns %j into the safe slug %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
    expect(branchName(3, title, 1)).toMatch(SAFE);
  });

  it('keeps slugs within 40 characters, cut between words', () => {
    const slug = slugify('Refactor the session scrollback so that resumed clients get exact bytes');
    expect(slug).toBe('refactor-the-session-scrollback-so-that');
    expect(slugify('x'.repeat(100))).toHaveLength(40);
  });

  it('refuses task and attempt numbers that are not positive integers', () => {
    expect(() => branchName(0, 'x', 1)).toThrow(ProtocolError);
    expect(() => branchName(1, 'x', 0)).toThrow(/attempt must be a positive integer/);
    expect(() => branchName(1.5, 'x', 1)).toThrow(/task number/);
  });
});

describe('validateBranchName', () => {
  it('asks git check-ref-format --branch about the exact name', async () => {
    const { repo } = tempRepo();
    const { git: runner, calls } = recordingGit();
    await validateBranchName(runner, 'vibe/1-ok', repo);
    expect(calls).toEqual([['check-ref-format', '--branch', 'vibe/1-ok']]);
  });

  it.each(['-x', '@{-1}', 'a..b', 'a b', 'a~1', 'x.lock', 'a\nb', ''])('refuses %j without creating anything', async (name) => {
    const { repo } = tempRepo();
    await expect(validateBranchName(recordingGit().git, name, repo)).rejects.toMatchObject({ code: 'invalid_params' });
  });
});

describe('hostile titles end to end', () => {
  it('create worktrees whose branches hold the slug and run nothing', async () => {
    const { repo, data } = tempRepo();
    const canary = join(data, 'canary');
    const titles = [`--upload-pack=touch ${canary}`, `$(touch ${canary})`, `\`touch ${canary}\``, `; touch ${canary}`, '../../etc'];
    for (const [i, title] of titles.entries()) {
      const branch = branchName(i + 1, title, 1);
      const { git: runner, calls } = recordingGit();
      await createWorktree({ repo, baseBranch: 'main', path: join(data, `wt-${i}`), branch }, runner);
      expect(calls.find((c) => c[0] === 'worktree')).toContain(branch);
    }
    expect(existsSync(canary)).toBe(false);
    const branches = git(repo, 'branch', '--list', 'vibe/*', '--format=%(refname:short)').split('\n');
    expect(branches.sort()).toEqual(titles.map((title, i) => `vibe/${i + 1}-${slugify(title)}`).sort());
    for (const branch of branches) expect(branch).toMatch(SAFE);
    expect(branches).toContain('vibe/5-etc');
  });
});
