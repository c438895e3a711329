// Preflight against real repositories: every way a start can be doomed gets one clear error.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { preflight } from './preflight.js';
import { git, tempDir, tempRepo } from './temp-repo.js';

describe('preflight', () => {
  it('passes a clean checkout on its base branch', async () => {
    const { repo } = tempRepo();
    await expect(preflight({ repo, baseBranch: 'main' })).resolves.toBeUndefined();
  });

  it('refuses a path that does not exist', async () => {
    const missing = join(tempDir(), 'nope');
    await expect(preflight({ repo: missing, baseBranch: 'main' })).rejects.toMatchObject({
      code: 'not_found',
      message: `repository path ${missing} does not exist`,
    });
  });

  it('refuses a directory that is not a git repository', async () => {
    const dir = tempDir();
    await expect(preflight({ repo: dir, baseBranch: 'main' })).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining(`${dir} is not a git repository`),
    });
  });

  it('refuses a missing base branch and says how to set one', async () => {
    const { repo } = tempRepo();
    await expect(preflight({ repo, baseBranch: 'develop' })).rejects.toMatchObject({
      code: 'not_found',
      message: `base branch "develop" does not exist in ${repo}; set one with \`vibe project set --base BRANCH\``,
    });
  });

  it('refuses a base that is a tag or a commit rather than a branch', async () => {
    const { repo } = tempRepo();
    git(repo, 'tag', 'v1.0');
    const sha = git(repo, 'rev-parse', 'HEAD');
    for (const base of ['v1.0', sha]) {
      await expect(preflight({ repo, baseBranch: base })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('is not a local branch') });
    }
  });

  it('refuses base names that look like options or reflog syntax', async () => {
    const { repo } = tempRepo();
    for (const base of ['--upload-pack=touch x', '@{-1}', 'main..x']) {
      await expect(preflight({ repo, baseBranch: base })).rejects.toMatchObject({ code: 'invalid_params' });
    }
  });

  it('refuses uncommitted changes to tracked files while the checkout is on the base branch', async () => {
    const { repo } = tempRepo();
    writeFileSync(join(repo, 'README.md'), 'edited\n');
    await expect(preflight({ repo, baseBranch: 'main' })).rejects.toMatchObject({
      code: 'conflict',
      message: `${repo} is on the base branch "main" with uncommitted changes (1 file) that the attempt would not contain; commit or stash them first`,
    });
  });

  it('ignores untracked files, and changes made on another branch', async () => {
    const { repo } = tempRepo();
    writeFileSync(join(repo, 'scratch.txt'), 'notes\n');
    await expect(preflight({ repo, baseBranch: 'main' })).resolves.toBeUndefined();
    git(repo, 'switch', '-q', '-c', 'other');
    writeFileSync(join(repo, 'README.md'), 'edited\n');
    await expect(preflight({ repo, baseBranch: 'main' })).resolves.toBeUndefined();
  });

  it('accepts a detached HEAD in the checkout', async () => {
    const { repo } = tempRepo();
    git(repo, 'switch', '-q', '--detach');
    writeFileSync(join(repo, 'README.md'), 'edited while detached\n');
    await expect(preflight({ repo, baseBranch: 'main' })).resolves.toBeUndefined();
  });

  it('refuses a bare repository', async () => {
    const bare = join(tempDir(), 'bare.git');
    git(tempDir(), 'init', '-q', '--bare', bare);
    await expect(preflight({ repo: bare, baseBranch: 'main' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('has no working tree') });
  });
});
