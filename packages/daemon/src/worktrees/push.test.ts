// The project's remote, pushing to a local bare repository, and compare URLs from every remote URL form.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareUrl, projectRemote, pushBranch } from './push.js';
import { git, tempDir, tempRepo } from './temp-repo.js';

describe('compareUrl', () => {
  it.each([
    ['https://github.com/o/r.git', 'https://github.com/o/r/compare/main...vibe/1-a?expand=1'],
    ['https://user@github.com/o/r', 'https://github.com/o/r/compare/main...vibe/1-a?expand=1'],
    ['git@github.com:o/r.git', 'https://github.com/o/r/compare/main...vibe/1-a?expand=1'],
    ['ssh://git@github.com:22/o/r.git', 'https://github.com/o/r/compare/main...vibe/1-a?expand=1'],
    ['git@gitlab.com:group/sub/r.git', 'https://gitlab.com/group/sub/r/-/compare/main...vibe/1-a'],
  ])('%s', (url, expected) => {
    expect(compareUrl(url, 'main', 'vibe/1-a')).toBe(expected);
  });

  it('has none for a local path', () => {
    expect(compareUrl('/srv/git/r.git', 'main', 'vibe/1-a')).toBeUndefined();
  });
});

describe('projectRemote and pushBranch', () => {
  it('refuses a project without a remote', async () => {
    const { repo } = tempRepo();
    await expect(projectRemote(repo)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('no git remote') });
  });

  it('prefers origin, else the only remote, and pushes the branch', async () => {
    const { repo } = tempRepo();
    const bare = join(tempDir(), 'r.git');
    git(repo, 'init', '-q', '--bare', bare);
    git(repo, 'remote', 'add', 'upstream', bare);
    expect(await projectRemote(repo)).toEqual({ name: 'upstream', url: bare });
    git(repo, 'remote', 'add', 'origin', 'git@github.com:o/r.git');
    git(repo, 'remote', 'set-url', '--push', 'origin', bare);
    expect(await projectRemote(repo)).toEqual({ name: 'origin', url: 'git@github.com:o/r.git' });
    git(repo, 'branch', 'vibe/1-a');
    await pushBranch({ repo, remote: 'origin', branch: 'vibe/1-a' });
    expect(git(bare, 'rev-parse', 'vibe/1-a')).toBe(git(repo, 'rev-parse', 'main'));
    expect(git(repo, 'config', 'branch.vibe/1-a.remote')).toBe('origin');
  });
});
