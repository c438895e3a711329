// `vibe task pr` through the real bin/vibe, daemon and git, with bare repositories behind GitHub addresses as
// the remotes and a fake `gh` first on the daemon's PATH that records how it was called: the push, the pull
// request gh is asked for, and the compare URL when gh is not signed in — in one repository, and from a fork
// into its upstream.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, fakeAgent, Sandbox } from './harness.js';

interface Session {
  attempt: number;
  branch: string;
  worktree: string;
  state: string;
}
interface GhCall {
  argv: string[];
  cwd: string;
}

const PR_URL = 'https://github.com/acme/app/pull/8';
const OPEN_PR_URL = 'https://github.com/acme/app/pull/7';

/**
 * A stand-in for gh: `auth status`, `pr create` and `pr list` answer as the mode file says (`pr list` with
 * gh-list.json); every call is logged.
 */
const FAKE_GH = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const dir = path.dirname(__dirname);
fs.appendFileSync(path.join(dir, 'gh-calls.jsonl'), JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }) + '\\n');
const mode = fs.readFileSync(path.join(dir, 'gh-mode'), 'utf8').trim();
const [command, sub] = process.argv.slice(2);
if (command === 'auth' && sub === 'status') {
  if (mode === 'signed-out') {
    process.stderr.write('You are not logged into any GitHub hosts. To log in, run: gh auth login\\n');
    process.exit(1);
  }
  process.stderr.write('github.com\\n  ✓ Logged in to github.com account acme (keyring)\\n');
} else if (command === 'pr' && sub === 'create') {
  if (mode === 'pr-open') {
    process.stderr.write('a pull request for branch "' + process.argv[process.argv.indexOf('--head') + 1] + '" into branch "main" already exists:\\n${OPEN_PR_URL}\\n');
    process.exit(1);
  }
  if (mode === 'pr-open-unnamed') {
    process.stderr.write('pull request create failed: GraphQL: Validation Failed (createPullRequest)\\n');
    process.exit(1);
  }
  process.stderr.write('\\nCreating pull request for the branch into main in acme/app\\n\\n');
  process.stdout.write('${PR_URL}\\n');
} else if (command === 'pr' && sub === 'list') {
  process.stdout.write(mode === 'pr-open-unnamed' ? fs.readFileSync(path.join(dir, 'gh-list.json'), 'utf8') : '[]\\n');
} else {
  process.stderr.write('fake gh: unexpected call\\n');
  process.exit(2);
}
`;

let sandbox: Sandbox;
let repo: string;
let bare: string;

const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' }).trim();
const run = (args: string[], cwd = repo) => sandbox.vibe(args, { cwd });
const ghMode = (mode: 'signed-in' | 'signed-out' | 'pr-open' | 'pr-open-unnamed'): void => writeFileSync(join(sandbox.dir, 'gh-mode'), mode);
const ghCalls = (): GhCall[] =>
  readFileSync(join(sandbox.dir, 'gh-calls.jsonl'), { encoding: 'utf8', flag: 'a+' })
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as GhCall);

/** A task whose agent committed one change and went idle, and its session. */
async function workedTask(title: string, description: string, cwd = repo): Promise<{ number: number; session: Session }> {
  const task = await sandbox.json<{ number: number }>(['task', 'add', title, '--description', description], { cwd });
  const { session } = await sandbox.json<{ session: Session }>(['task', 'start', String(task.number)], { cwd });
  await eventually(async () => {
    const shown = await sandbox.json<{ session: Session | null }>(['task', 'show', String(task.number)], { cwd });
    return shown.session?.state === 'idle' ? true : undefined;
  }, `task ${task.number} to be idle`);
  return { number: task.number, session };
}

beforeAll(async () => {
  sandbox = new Sandbox();
  const bin = join(sandbox.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'gh'), FAKE_GH);
  chmodSync(join(bin, 'gh'), 0o755);
  sandbox.env.PATH = `${bin}:${sandbox.env.PATH ?? ''}`;
  sandbox.configure({ defaultAgent: 'worker', agents: { worker: fakeAgent('hook:working;edit:feature.txt=hello;commit:agent change;hook:idle;sleep:600000') } });
  repo = sandbox.repo('app');
  bare = join(sandbox.dir, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', bare]);
  // The remote's address is GitHub's; pushes go to the bare repository.
  git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/app.git');
  git(repo, 'remote', 'set-url', '--push', 'origin', bare);
  const up = await run(['up']);
  expect(up.code, up.stderr).toBe(0);
});
afterAll(async () => {
  await sandbox?.dispose();
});
beforeEach(() => {
  rmSync(join(sandbox.dir, 'gh-calls.jsonl'), { force: true });
});

describe('vibe task pr', () => {
  it('pushes the branch and has gh open a draft pull request from it into the base, printing its URL', async () => {
    ghMode('signed-in');
    const { number, session } = await workedTask('Add the feature', 'It says hello.');
    const pr = await run(['task', 'pr', String(number), '--draft']);
    expect(pr.code, pr.stderr).toBe(0);
    expect(pr.stdout).toBe(`${PR_URL}\n`);
    expect(pr.stderr).toBe('pushed to origin; opened a draft pull request in acme/app with gh\n');
    expect(git(bare, 'rev-parse', `refs/heads/${session.branch}`)).toBe(git(repo, 'rev-parse', session.branch));
    const calls = ghCalls();
    expect(calls.map((call) => call.argv)).toEqual([
      ['auth', 'status'],
      ['pr', 'create', '--repo', 'acme/app', '--head', session.branch, '--base', 'main', '--title', 'Add the feature', '--body', 'It says hello.', '--draft'],
    ]);
    for (const call of calls) expect(realpathSync(call.cwd)).toBe(realpathSync(repo));
  });

  it('asks for a ready pull request without --draft and answers with one JSON document under --json', async () => {
    ghMode('signed-in');
    const { number, session } = await workedTask('Second feature', 'More.');
    const pr = await run(['task', 'pr', String(number), '--json']);
    expect(pr.code, pr.stderr).toBe(0);
    expect(JSON.parse(pr.stdout)).toEqual({ remote: 'origin', pushed: true, via: 'gh', url: PR_URL, repo: 'acme/app' });
    expect(ghCalls().map((call) => call.argv)[1]).toEqual(['pr', 'create', '--repo', 'acme/app', '--head', session.branch, '--base', 'main', '--title', 'Second feature', '--body', 'More.']);
  });

  it('run again after more commits, pushes them and gives the pull request gh says is open already', async () => {
    ghMode('signed-in');
    const { number, session } = await workedTask('Third feature', 'Again.');
    expect((await run(['task', 'pr', String(number)])).code).toBe(0);
    writeFileSync(join(session.worktree, 'feature.txt'), 'hello again\n');
    git(session.worktree, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qam', 'after review');
    ghMode('pr-open');
    const pr = await run(['task', 'pr', String(number)]);
    expect(pr.code, pr.stderr).toBe(0);
    expect(pr.stdout).toBe(`${OPEN_PR_URL}\n`);
    expect(pr.stderr).toBe('pushed to origin; its pull request in acme/app was open already (gh)\n');
    expect(git(bare, 'rev-parse', `refs/heads/${session.branch}`)).toBe(git(repo, 'rev-parse', session.branch));
  });

  it('falls back to the compare URL when gh is not signed in, asking it nothing more', async () => {
    ghMode('signed-out');
    const { number, session } = await workedTask('Fourth feature', 'Once more.');
    const pr = await run(['task', 'pr', String(number)]);
    expect(pr.code, pr.stderr).toBe(0);
    expect(pr.stdout).toBe(`https://github.com/acme/app/compare/main...${session.branch}?expand=1\n`);
    expect(pr.stderr).toBe('pushed to origin; open the pull request at the URL above\n');
    expect(ghCalls().map((call) => call.argv)).toEqual([['auth', 'status']]);
    expect(git(bare, 'rev-parse', `refs/heads/${session.branch}`)).toBe(git(repo, 'rev-parse', session.branch));
  });

  it('prints no URL when the remote has no known web page, saying so', async () => {
    ghMode('signed-out');
    git(repo, 'remote', 'set-url', 'origin', bare);
    try {
      const { number, session } = await workedTask('Fifth feature', 'Local only.');
      const pr = await run(['task', 'pr', String(number)]);
      expect(pr.code, pr.stderr).toBe(0);
      expect(pr.stdout).toBe('');
      expect(pr.stderr).toBe('pushed to origin; vibe knows no web page for that remote: open the pull request where it is hosted\n');
      expect(git(bare, 'rev-parse', `refs/heads/${session.branch}`)).toBe(git(repo, 'rev-parse', session.branch));
    } finally {
      git(repo, 'remote', 'set-url', 'origin', 'https://github.com/acme/app.git');
    }
  });
});

describe('vibe task pr on a fork', () => {
  const FORK_URL = 'git@github.com:me/app.git';
  const UPSTREAM_URL = 'https://github.com/acme/app.git';
  let forkBare: string;
  let upstreamBare: string;
  /** origin is the user's fork, upstream the repository it was forked from. */
  let forked: string;
  /** origin is the upstream repository; the fork is the remote `mine`. */
  let cloned: string;

  const refs = (bare: string): string => git(bare, 'for-each-ref', '--format=%(refname)');

  /** A checkout with these remotes, registered with the daemon; git pushes to their GitHub addresses land in the bare repositories. */
  async function checkout(name: string, remotes: Record<string, string>): Promise<string> {
    const path = sandbox.repo(name);
    for (const [remote, url] of Object.entries(remotes)) git(path, 'remote', 'add', remote, url);
    git(path, 'config', `url.${forkBare}.pushInsteadOf`, FORK_URL);
    git(path, 'config', `url.${upstreamBare}.pushInsteadOf`, UPSTREAM_URL);
    const up = await run(['up'], path);
    expect(up.code, up.stderr).toBe(0);
    return path;
  }

  beforeAll(async () => {
    forkBare = join(sandbox.dir, 'me-app.git');
    upstreamBare = join(sandbox.dir, 'acme-app.git');
    execFileSync('git', ['init', '-q', '--bare', forkBare]);
    execFileSync('git', ['init', '-q', '--bare', upstreamBare]);
    forked = await checkout('forked', { origin: FORK_URL, upstream: UPSTREAM_URL });
    cloned = await checkout('cloned', { origin: UPSTREAM_URL, mine: FORK_URL });
  });

  it("pushes the branch to the fork, not upstream, and has gh open the pull request upstream from the fork owner's branch", async () => {
    ghMode('signed-in');
    const { number, session } = await workedTask('Fork feature', 'From a fork.', forked);
    const pr = await run(['task', 'pr', String(number), '--draft'], forked);
    expect(pr.code, pr.stderr).toBe(0);
    expect(pr.stdout).toBe(`${PR_URL}\n`);
    expect(pr.stderr).toBe('pushed to origin; opened a draft pull request in acme/app with gh\n');
    expect(git(forkBare, 'rev-parse', `refs/heads/${session.branch}`)).toBe(git(forked, 'rev-parse', session.branch));
    expect(refs(upstreamBare)).toBe('');
    expect(ghCalls().map((call) => call.argv)).toEqual([
      ['auth', 'status'],
      ['pr', 'create', '--repo', 'acme/app', '--head', `me:${session.branch}`, '--base', 'main', '--title', 'Fork feature', '--body', 'From a fork.', '--draft'],
    ]);
  });

  it("gives upstream's compare page for the fork owner's branch when gh is not signed in", async () => {
    ghMode('signed-out');
    const { number, session } = await workedTask('Fork compare', 'No gh.', forked);
    const pr = await run(['task', 'pr', String(number)], forked);
    expect(pr.code, pr.stderr).toBe(0);
    expect(pr.stdout).toBe(`https://github.com/acme/app/compare/main...me:${session.branch}?expand=1\n`);
    expect(pr.stderr).toBe('pushed to origin; open the pull request at the URL above\n');
    expect(git(forkBare, 'rev-parse', `refs/heads/${session.branch}`)).toBe(git(forked, 'rev-parse', session.branch));
  });

  it("finds the fork's open pull request upstream, not another fork's on a branch of the same name", async () => {
    ghMode('pr-open-unnamed');
    const { number, session } = await workedTask('Fork reopened', 'Again.', forked);
    writeFileSync(
      join(sandbox.dir, 'gh-list.json'),
      JSON.stringify([
        { url: 'https://github.com/acme/app/pull/5', headRepositoryOwner: { login: 'someone' } },
        { url: OPEN_PR_URL, headRepositoryOwner: { login: 'me' } },
      ]),
    );
    const pr = await run(['task', 'pr', String(number)], forked);
    expect(pr.code, pr.stderr).toBe(0);
    expect(pr.stdout).toBe(`${OPEN_PR_URL}\n`);
    expect(pr.stderr).toBe('pushed to origin; its pull request in acme/app was open already (gh)\n');
    expect(ghCalls().map((call) => call.argv)[2]).toEqual(['pr', 'list', '--repo', 'acme/app', '--head', session.branch, '--state', 'open', '--json', 'url,headRepositoryOwner']);
  });

  it('pushes to the fork remote named by --remote when origin is the upstream repository', async () => {
    ghMode('signed-in');
    const { number, session } = await workedTask('Clone feature', 'From a clone.', cloned);
    const pr = await run(['task', 'pr', String(number), '--remote', 'mine'], cloned);
    expect(pr.code, pr.stderr).toBe(0);
    expect(pr.stderr).toBe('pushed to mine; opened a pull request in acme/app with gh\n');
    expect(git(forkBare, 'rev-parse', `refs/heads/${session.branch}`)).toBe(git(cloned, 'rev-parse', session.branch));
    expect(refs(upstreamBare)).toBe('');
    expect(ghCalls().map((call) => call.argv)[1]).toEqual(['pr', 'create', '--repo', 'acme/app', '--head', `me:${session.branch}`, '--base', 'main', '--title', 'Clone feature', '--body', 'From a clone.']);
  });

  it('refuses an upstream that is not on GitHub with one line, pushing nothing and asking gh nothing', async () => {
    ghMode('signed-in');
    const { number, session } = await workedTask('Fork of GitLab', 'Nowhere to go.', forked);
    git(forked, 'remote', 'set-url', 'upstream', 'git@gitlab.com:acme/app.git');
    try {
      const pr = await run(['task', 'pr', String(number)], forked);
      expect(pr.code).not.toBe(0);
      expect(pr.stdout).toBe('');
      expect(pr.stderr).toBe(
        'vibe: upstream (git@gitlab.com:acme/app.git) is not a GitHub repository, so vibe cannot open a pull request in it from origin; name the repository with --repo OWNER/NAME\n',
      );
      expect(refs(forkBare)).not.toContain(session.branch);
      expect(ghCalls()).toEqual([]);
    } finally {
      git(forked, 'remote', 'set-url', 'upstream', UPSTREAM_URL);
    }
  });
});
