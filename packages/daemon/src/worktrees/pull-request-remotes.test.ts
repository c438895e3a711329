// Which remote a pull request's branch goes to and which repository the pull request is opened in: the rule
// over remotes as data, then read from real repositories' git config.
import { describe, expect, it } from 'vitest';
import { choosePullRequestRemotes, pullRequestRemotes, type RemoteFacts, type RemotesConfig } from './pull-request-remotes.js';
import { git, tempRepo } from './temp-repo.js';

const remote = (name: string, url: string, more: Partial<RemoteFacts> = {}): RemoteFacts => ({ name, url, pushUrl: url, ghDefault: false, ...more });
const on = (owner: string, name = 'app', host = 'github.com') => ({ host, owner, name });

const FORK = remote('origin', 'git@github.com:me/app.git');
const UPSTREAM = remote('upstream', 'https://github.com/acme/app.git');

describe('choosePullRequestRemotes', () => {
  it('keeps a lone GitHub remote to itself', () => {
    expect(choosePullRequestRemotes({ remotes: [remote('origin', 'https://github.com/acme/app')] })).toEqual({
      push: { name: 'origin', url: 'https://github.com/acme/app' },
      gitHub: { repo: on('acme'), head: on('acme') },
    });
  });

  it('pushes to origin and opens the pull request upstream when both exist', () => {
    expect(choosePullRequestRemotes({ remotes: [UPSTREAM, FORK] })).toEqual({ push: { name: 'origin', url: FORK.url }, gitHub: { repo: on('acme'), head: on('me') } });
  });

  it('pushes to the fork remote git is configured to push to, opening the pull request in origin', () => {
    const config: RemotesConfig = { remotes: [remote('origin', 'https://github.com/acme/app'), remote('mine', 'git@github.com:me/app.git')], pushDefault: 'mine' };
    expect(choosePullRequestRemotes(config)).toMatchObject({ push: { name: 'mine' }, gitHub: { repo: on('acme'), head: on('me') } });
  });

  it('pushes to the remote named, opening the pull request in origin', () => {
    const remotes = [remote('origin', 'https://github.com/acme/app'), remote('mine', 'git@github.com:me/app.git')];
    expect(choosePullRequestRemotes({ remotes })).toMatchObject({ push: { name: 'origin' }, gitHub: { repo: on('acme'), head: on('acme') } });
    expect(choosePullRequestRemotes({ remotes }, { remote: 'mine' })).toMatchObject({ push: { name: 'mine' }, gitHub: { repo: on('acme'), head: on('me') } });
  });

  it('takes the fork from a push URL set apart from the fetch URL', () => {
    const origin = remote('origin', 'https://github.com/acme/app.git', { pushUrl: 'git@github.com:me/app.git' });
    expect(choosePullRequestRemotes({ remotes: [origin] })).toMatchObject({ push: { name: 'origin' }, gitHub: { repo: on('acme'), head: on('me') } });
  });

  it("opens the pull request in the repository of gh's default remote", () => {
    const remotes = [UPSTREAM, FORK, remote('other', 'https://github.com/corp/app', { ghDefault: true })];
    expect(choosePullRequestRemotes({ remotes })).toMatchObject({ push: { name: 'origin' }, gitHub: { repo: on('corp'), head: on('me') } });
  });

  it('opens it in the repository named, on the host of the fork unless one is given', () => {
    expect(choosePullRequestRemotes({ remotes: [UPSTREAM, FORK] }, { repo: 'me/app' })).toMatchObject({ gitHub: { repo: on('me'), head: on('me') } });
    const ghe = remote('origin', 'git@github.example.com:me/svc.git');
    expect(choosePullRequestRemotes({ remotes: [ghe] }, { repo: 'team/svc' })).toMatchObject({ gitHub: { repo: on('team', 'svc', 'github.example.com') } });
    const odd = remote('origin', 'https://git.example.com/me/svc.git');
    expect(choosePullRequestRemotes({ remotes: [odd] }, { repo: 'git.example.com/team/svc' })).toMatchObject({
      gitHub: { repo: on('team', 'svc', 'git.example.com'), head: on('me', 'svc', 'git.example.com') },
    });
  });

  it('leaves a remote that is not on GitHub to itself', () => {
    expect(choosePullRequestRemotes({ remotes: [remote('origin', '/srv/git/app.git')] })).toEqual({ push: { name: 'origin', url: '/srv/git/app.git' } });
    const gitlab = [remote('origin', 'git@gitlab.com:me/app.git'), remote('upstream', 'git@gitlab.com:acme/app.git')];
    expect(choosePullRequestRemotes({ remotes: gitlab })).toEqual({ push: { name: 'origin', url: 'git@gitlab.com:me/app.git' } });
  });

  it.each<[string, RemotesConfig, { remote?: string; repo?: string }, string, string]>([
    ['no remote', { remotes: [] }, {}, 'conflict', 'no git remote'],
    ['several remotes without an origin', { remotes: [UPSTREAM, remote('mine', FORK.url)] }, {}, 'conflict', 'several git remotes (upstream, mine)'],
    ['an unknown remote', { remotes: [FORK] }, { remote: 'fork' }, 'not_found', 'no git remote called fork (it has origin)'],
    ['a fork whose upstream is not on GitHub', { remotes: [FORK, remote('upstream', 'git@gitlab.com:acme/app.git')] }, {}, 'conflict', 'upstream (git@gitlab.com:acme/app.git) is not a GitHub repository'],
    ['a repository named for a branch not on GitHub', { remotes: [remote('origin', '/srv/git/app.git')] }, { repo: 'acme/app' }, 'conflict', 'origin (/srv/git/app.git) is not a GitHub repository'],
    ['a repository on another host', { remotes: [FORK] }, { repo: 'github.example.com/acme/app' }, 'conflict', 'cannot come from another host'],
    ['a malformed repository', { remotes: [FORK] }, { repo: 'acme' }, 'invalid_params', 'OWNER/NAME'],
  ])('refuses %s', (_, config, wanted, code, message) => {
    expect(() => choosePullRequestRemotes(config, wanted)).toThrow(expect.objectContaining({ code, message: expect.stringContaining(message) }));
  });
});

describe('pullRequestRemotes', () => {
  it('reads fetch URLs with insteadOf applied, push URLs, remote.pushDefault and gh-resolved from git', async () => {
    const { repo } = tempRepo();
    git(repo, 'remote', 'add', 'origin', 'gh:acme/app');
    git(repo, 'config', 'url.https://github.com/.insteadOf', 'gh:');
    git(repo, 'remote', 'add', 'mine', 'https://github.com/me/app.git');
    git(repo, 'remote', 'set-url', '--push', 'mine', '/srv/git/nowhere.git');
    expect(await pullRequestRemotes(repo)).toEqual({ push: { name: 'origin', url: 'https://github.com/acme/app' }, gitHub: { repo: on('acme'), head: on('acme') } });
    git(repo, 'config', 'remote.pushDefault', 'mine');
    expect(await pullRequestRemotes(repo)).toEqual({ push: { name: 'mine', url: 'https://github.com/me/app.git' }, gitHub: { repo: on('acme'), head: on('me') } });
    git(repo, 'config', 'remote.mine.gh-resolved', 'base');
    expect(await pullRequestRemotes(repo)).toMatchObject({ push: { name: 'mine' }, gitHub: { repo: on('me'), head: on('me') } });
    expect(await pullRequestRemotes(repo, { remote: 'origin', repo: 'acme/app' })).toMatchObject({ push: { name: 'origin' }, gitHub: { repo: on('acme'), head: on('acme') } });
  });
});
