// GitHub repositories read from every remote URL form git takes, and from gh's [HOST/]OWNER/NAME.
import { describe, expect, it } from 'vitest';
import { gitHubRepo, parseRepoName, repoArgument, sameRepo } from './remote-url.js';

const acme = { host: 'github.com', owner: 'acme', name: 'app' };

describe('gitHubRepo', () => {
  it.each([
    'https://github.com/acme/app.git',
    'https://github.com/acme/app',
    'https://github.com/acme/app/',
    'http://github.com/acme/app.git',
    'https://me@github.com/acme/app.git',
    'https://me:token@github.com/acme/app',
    'https://GitHub.com/acme/app.git',
    'git@github.com:acme/app.git',
    'git@github.com:acme/app',
    'github.com:acme/app.git',
    'ssh://git@github.com/acme/app.git',
    'ssh://git@github.com:22/acme/app',
    'git+ssh://git@github.com/acme/app.git',
    'git://github.com/acme/app.git',
    'git@github.com-work:acme/app.git',
  ])('reads acme/app on github.com from %s', (url) => {
    expect(gitHubRepo(url)).toEqual(acme);
  });

  it.each([
    ['https://github.example.com/team/svc.git', 'github.example.com'],
    ['git@github.example.com:team/svc.git', 'github.example.com'],
    ['ssh://git@github.example.com:7999/team/svc.git', 'github.example.com'],
    ['https://octocorp.ghe.com/team/svc', 'octocorp.ghe.com'],
  ])('reads a GitHub Enterprise host from %s', (url, host) => {
    expect(gitHubRepo(url)).toEqual({ host, owner: 'team', name: 'svc' });
  });

  it('keeps names with dots, dashes and underscores', () => {
    expect(gitHubRepo('git@github.com:my-org/my_app.js.git')).toEqual({ host: 'github.com', owner: 'my-org', name: 'my_app.js' });
  });

  it.each([
    '/srv/git/app.git',
    'file:///srv/git/app.git',
    '../app.git',
    'https://gitlab.com/acme/app.git',
    'git@bitbucket.org:acme/app.git',
    'https://git.example.com/acme/app.git',
    'https://github.com/acme',
    'https://github.com/acme/app/tree/main',
    'git@gitlab.com:group/sub/app.git',
  ])('is not a GitHub repository: %s', (url) => {
    expect(gitHubRepo(url)).toBeUndefined();
  });

  it('takes an unusual host as GitHub when told so', () => {
    expect(gitHubRepo('https://git.example.com/acme/app.git', ['git.example.com'])).toEqual({ host: 'git.example.com', owner: 'acme', name: 'app' });
  });
});

describe('parseRepoName', () => {
  it('reads OWNER/NAME on the default host and HOST/OWNER/NAME anywhere', () => {
    expect(parseRepoName('acme/app')).toEqual(acme);
    expect(parseRepoName('acme/app.git')).toEqual(acme);
    expect(parseRepoName('team/svc', 'github.example.com')).toEqual({ host: 'github.example.com', owner: 'team', name: 'svc' });
    expect(parseRepoName('GitHub.Example.com/team/svc')).toEqual({ host: 'github.example.com', owner: 'team', name: 'svc' });
  });

  it.each(['app', 'acme/', '/app', 'a/b/c/d', 'acme/app name', '-x/app'])('refuses %j', (text) => {
    expect(parseRepoName(text)).toBeUndefined();
  });
});

describe('repoArgument and sameRepo', () => {
  it("writes gh's --repo with the host only off github.com", () => {
    expect(repoArgument(acme)).toBe('acme/app');
    expect(repoArgument({ host: 'github.example.com', owner: 'team', name: 'svc' })).toBe('github.example.com/team/svc');
  });

  it('compares owner and name without case, the host exactly', () => {
    expect(sameRepo(acme, { ...acme, owner: 'ACME', name: 'App' })).toBe(true);
    expect(sameRepo(acme, { ...acme, owner: 'me' })).toBe(false);
    expect(sameRepo(acme, { ...acme, host: 'github.example.com' })).toBe(false);
  });
});
