// Pushing to a local bare repository, and compare URLs from every remote URL form, across forks too.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareUrl, gitHubCompareUrl, pushBranch } from './push.js';
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

describe('gitHubCompareUrl', () => {
  const upstream = { host: 'github.com', owner: 'acme', name: 'app' };

  it('names the branch alone within one repository', () => {
    expect(gitHubCompareUrl(upstream, 'main', { ...upstream, owner: 'ACME' }, 'vibe/1-a')).toBe('https://github.com/acme/app/compare/main...vibe/1-a?expand=1');
  });

  it("qualifies a fork's branch by its owner, and by its name too when the fork was renamed", () => {
    expect(gitHubCompareUrl(upstream, 'main', { ...upstream, owner: 'me' }, 'vibe/1-a')).toBe('https://github.com/acme/app/compare/main...me:vibe/1-a?expand=1');
    expect(gitHubCompareUrl(upstream, 'main', { ...upstream, owner: 'me', name: 'app-fork' }, 'vibe/1-a')).toBe(
      'https://github.com/acme/app/compare/main...me:app-fork:vibe/1-a?expand=1',
    );
  });

  it('points at a GitHub Enterprise host and escapes the branch', () => {
    const ghe = { host: 'github.corp.example', owner: 'team', name: 'svc' };
    expect(gitHubCompareUrl(ghe, 'release/1', { ...ghe, owner: 'me' }, 'vibe/2-#fix')).toBe('https://github.corp.example/team/svc/compare/release/1...me:vibe/2-%23fix?expand=1');
  });
});

describe('pushBranch', () => {
  it("pushes the branch to the remote's push URL and tracks it", async () => {
    const { repo } = tempRepo();
    const bare = join(tempDir(), 'r.git');
    git(repo, 'init', '-q', '--bare', bare);
    git(repo, 'remote', 'add', 'origin', 'git@github.com:o/r.git');
    git(repo, 'remote', 'set-url', '--push', 'origin', bare);
    git(repo, 'branch', 'vibe/1-a');
    await pushBranch({ repo, remote: 'origin', branch: 'vibe/1-a' });
    expect(git(bare, 'rev-parse', 'vibe/1-a')).toBe(git(repo, 'rev-parse', 'main'));
    expect(git(repo, 'config', 'branch.vibe/1-a.remote')).toBe('origin');
  });

  it('says which remote refused the push', async () => {
    const { repo } = tempRepo();
    git(repo, 'remote', 'add', 'origin', join(tempDir(), 'missing.git'));
    git(repo, 'branch', 'vibe/1-a');
    await expect(pushBranch({ repo, remote: 'origin', branch: 'vibe/1-a' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('git push to origin failed') });
  });
});
