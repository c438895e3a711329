// Review and landing end to end inside one daemon: real git repositories, real tmux and the scripted fake
// agent — diffs, feedback to running and exited agents, merges, rebases, pull requests, history and gc.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlClient, Frame } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { Daemon } from '../src/daemon.js';
import { stopDaemon, until } from './daemon-fixture.js';

const fakeAgent = fileURLToPath(new URL('./fixtures/fake-agent.mjs', import.meta.url));
const scriptsDir = fileURLToPath(new URL('../dist', import.meta.url));

let dir: string;
let repo: string;
let daemon: Daemon;
let client: ControlClient;

const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-C', cwd, ...args], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } }).toString().trim();

async function boot(agents: Record<string, object>): Promise<void> {
  mkdirSync(join(dir, 'home', 'config'), { recursive: true });
  writeFileSync(join(dir, 'home', 'config', 'config.json'), JSON.stringify({ agents }));
  const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: join(dir, 'home') }), version: 't', validateResults: true, scriptsDir });
  if (outcome.status !== 'ready') throw new Error('daemon did not start');
  daemon = outcome.daemon;
  client = (await connectToDaemon(daemon.paths.socket, { client: { name: 'test', version: '0' } })).client;
  await client.request('project.register', { path: repo, baseBranch: 'main' });
}

/** A custom agent running the fake agent with `script`. */
const fake = (script: string, extra: object = {}) => ({ command: ['node', fakeAgent, '--script', script], prompt: 'none', hooks: 'env', ...extra });

const task = async (number = 1) => (await client.request('task.get', { project: 'repo', number })).task;
const add = async (title: string, agent: string, description?: string) => (await client.request('task.create', { project: 'repo', title, agent, description })).task;
const start = async (number = 1) => (await client.request('task.start', { project: 'repo', number })).session;
const commitOnMain = (file: string, content: string, message: string): void => {
  writeFileSync(join(repo, file), content);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', message);
};
/** Everything a user could see of the repository and the attempt. */
const snapshot = (worktree: string) => ({
  head: git(repo, 'rev-parse', 'HEAD'),
  branches: git(repo, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
  status: git(repo, 'status', '--porcelain'),
  files: ['a.txt', 'b.txt'].map((f) => readFileSync(join(repo, f), 'utf8')),
  wtHead: git(worktree, 'rev-parse', 'HEAD'),
  wtStatus: git(worktree, 'status', '--porcelain'),
  wtFiles: ['a.txt', 'b.txt'].map((f) => readFileSync(join(worktree, f), 'utf8')),
});

async function screen(sessionId: number): Promise<() => string> {
  const frames: Frame[] = [];
  client.onFrame((frame) => {
    if (frame.session === sessionId) frames.push(frame);
  });
  await client.request('session.attach', { session: sessionId, readOnly: true });
  return () => Buffer.concat(frames.map((f) => Buffer.from(f.payload))).toString('utf8');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-rev-'));
  repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  git(repo, 'config', 'user.name', 'vibe test');
  git(repo, 'config', 'user.email', 'test@vibe.invalid');
  writeFileSync(join(repo, 'a.txt'), 'a\n');
  writeFileSync(join(repo, 'b.txt'), 'b\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'init');
});

afterEach(async () => {
  client?.close();
  if (daemon) {
    await stopDaemon(daemon);
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('task.diff', () => {
  it('shows committed, uncommitted and untracked changes, without vibe\'s instruction file', async () => {
    await boot({ fake: fake('hook:working;edit:done.txt=committed;commit:work;edit:a.txt=edited;edit:loose.txt=untracked;hook:idle;sleep:60000', { instructionsFile: 'AGENT_NOTES.md' }) });
    await client.request('project.update', { project: 'repo', instructions: 'Keep it short.' });
    await add('Diff me', 'fake');
    const session = await start();
    await until(task, (t) => t.status === 'in_review', 'the agent to finish its turn');
    expect(existsSync(join(session.worktree, 'AGENT_NOTES.md'))).toBe(true);
    const diff = await client.request('task.diff', { project: 'repo', number: 1 });
    expect(diff).toMatchObject({ base: 'main', branch: session.branch, mergeBase: git(repo, 'rev-parse', 'main'), truncated: false });
    expect(diff.files.map((f) => `${f.status} ${f.path} +${f.additions} -${f.deletions}`).sort()).toEqual(['added done.txt +1 -0', 'added loose.txt +1 -0', 'modified a.txt +1 -1']);
    expect(diff.patch).toContain('+untracked');
    expect(diff.patch).not.toContain('Keep it short');
    const stat = await client.request('task.diff', { project: 'repo', number: 1, stat: true });
    expect(stat.patch).toBe('');
    expect(stat.files).toHaveLength(3);
  });
});

describe('task.review', () => {
  it('types the feedback into a running agent, logs it and moves the task back to work', async () => {
    await boot({ fake: fake('hook:working;hook:idle;ask:feedback? ;print:heard {answer};sleep:60000') });
    await add('Listen', 'fake');
    const session = await start();
    await until(task, (t) => t.status === 'in_review', 'the agent to finish its turn');
    const text = await screen(session.id);
    const result = await client.request('task.review', { project: 'repo', number: 1, comment: 'use tabs' });
    expect(result).toMatchObject({ delivered: 'sent', session: { id: session.id } });
    await until(text, (t) => t.includes('heard use tabs'), 'the agent to echo the feedback');
    expect((await task()).status).toBe('in_progress');
    const { entries } = await client.request('task.log', { project: 'repo', number: 1 });
    const reviewed = entries.findIndex((e) => e.name === 'task.reviewed');
    expect(entries[reviewed]).toMatchObject({ data: { attempt: 1, comment: 'use tabs', task: { status: 'in_review' } } });
    expect(entries[reviewed + 1]).toMatchObject({ name: 'task.moved', data: { from: 'in_review', task: { status: 'in_progress' } } });
  });

  it('starts an exited agent again in the same worktree with the feedback as its prompt', async () => {
    const prompts = join(dir, 'prompts.txt');
    await boot({ echo: { command: ['sh', '-c', 'printf "%s\\n" "$1" >> "$0"', prompts, '{prompt}'], prompt: 'argv' } });
    await add('First pass', 'echo');
    const first = await start();
    await until(task, (t) => t.session?.state === 'exited', 'the first run to end');
    const result = await client.request('task.review', { project: 'repo', number: 1, comment: 'now fix the typo' });
    expect(result.delivered).toBe('restarted');
    expect(result.session).toMatchObject({ attempt: 2, worktree: first.worktree, branch: first.branch });
    await until(() => (existsSync(prompts) ? readFileSync(prompts, 'utf8') : ''), (t) => t.includes('now fix the typo'), 'the restarted agent to get the feedback');
    expect(readFileSync(prompts, 'utf8')).toBe('First pass\nnow fix the typo\n');
    const { entries } = await client.request('task.log', { project: 'repo', number: 1 });
    expect(entries.find((e) => e.name === 'task.reviewed')).toMatchObject({ data: { attempt: 2, comment: 'now fix the typo' } });
  });
});

describe('task.merge', () => {
  it('lands a reviewed attempt on the checked-out base, stops the agent, removes the worktree and logs the history', async () => {
    await boot({ fake: fake('hook:working;edit:notes.txt=done;commit:add notes;hook:idle;ask:more? ;hook:working;hook:idle;sleep:60000') });
    await add('Write notes', 'fake', 'In notes.txt.');
    const session = await start();
    await until(task, (t) => t.status === 'in_review', 'the first turn');
    await client.request('task.review', { project: 'repo', number: 1, comment: 'looks good' });
    await until(task, (t) => t.status === 'in_review' && t.session?.state === 'idle', 'the second turn');
    const merged = await client.request('task.merge', { project: 'repo', number: 1 });
    expect(merged).toMatchObject({ mode: 'squash', task: { status: 'done' }, commit: git(repo, 'rev-parse', 'main') });
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('done\n');
    expect(git(repo, 'log', '-1', '--format=%B', 'main')).toBe('Write notes\n\nIn notes.txt.');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(existsSync(session.worktree)).toBe(false);
    expect(git(repo, 'branch', '--list', 'vibe/*')).toBe('');
    expect((await task()).session?.state).toBe('exited');
    const { entries } = await client.request('task.log', { project: 'repo', number: 1 });
    const names = entries.map((e) => e.name);
    expect(names[0]).toBe('task.created');
    expect(names).toEqual(expect.arrayContaining(['task.moved', 'session.updated', 'task.reviewed', 'task.merged']));
    expect(names.at(-1)).toBe('task.merged');
    expect(entries.at(-1)).toMatchObject({ data: { attempt: 1, branch: session.branch, commit: merged.commit, mode: 'squash' } });
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((x, y) => x - y));
  });

  it('says the commit landed when recording the merge fails afterwards, so a retry is not a mystery', async () => {
    await boot({ fake: fake('hook:working;edit:notes.txt=done;commit:add notes;hook:idle;sleep:60000') });
    await add('Write notes', 'fake');
    await start();
    await until(task, (t) => t.status === 'in_review', 'the turn to end');
    // Another connection makes the store's last step fail, after git has done its part.
    const db = new Database(daemon.paths.database);
    db.exec("CREATE TRIGGER no_merge_record BEFORE INSERT ON events WHEN NEW.name = 'task.merged' BEGIN SELECT RAISE(ABORT, 'cannot record'); END");
    db.close();
    const failure = await client.request('task.merge', { project: 'repo', number: 1 }).then(
      () => undefined,
      (error: unknown) => error as { code: string; message: string; data: { commit: string } },
    );
    const landed = git(repo, 'rev-parse', 'main');
    expect(failure).toMatchObject({ code: 'internal', data: { commit: landed } });
    expect(failure?.message).toContain(`landed on main as ${landed.slice(0, 12)}`);
    expect(failure?.message).toContain('vibe task mv 1 done');
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('done\n');
    expect((await task()).status).toBe('in_review');
  });

  it('refuses while the agent works unless forced, and keeps the branch when asked', async () => {
    await boot({ fake: fake('hook:working;edit:x.txt=1;commit:x;sleep:60000') });
    await add('Busy', 'fake');
    const session = await start();
    await until(() => git(repo, 'log', '--format=%s', session.branch), (log) => log.startsWith('x'), 'the agent to commit');
    await until(task, (t) => t.session?.state === 'working', 'the agent to work');
    git(repo, 'switch', '-q', '-c', 'elsewhere');
    await expect(client.request('task.merge', { project: 'repo', number: 1, mode: 'merge' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('is working') });
    const merged = await client.request('task.merge', { project: 'repo', number: 1, mode: 'merge', force: true, keepBranch: true, message: 'Land it' });
    expect(git(repo, 'rev-parse', 'main')).toBe(merged.commit);
    expect(git(repo, 'log', '-1', '--format=%s', 'main')).toBe('Land it');
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('elsewhere');
    expect(git(repo, 'branch', '--list', session.branch)).toContain(session.branch);
    expect(existsSync(session.worktree)).toBe(false);
    expect(await task()).toMatchObject({ status: 'done', session: { state: 'exited' } });
  });

  it('reports conflicts file by file leaving everything as it was; rebase undoes its conflict; --ask-agent hands it over', async () => {
    await boot({ fake: fake('hook:working;edit:a.txt=agent a;edit:b.txt=agent b;commit:agent edits;hook:idle;ask:ready? ;print:heard {answer};sleep:60000') });
    await add('Clash', 'fake');
    const session = await start();
    await until(task, (t) => t.status === 'in_review', 'the agent to finish');
    writeFileSync(join(repo, 'a.txt'), 'user a\n');
    writeFileSync(join(repo, 'b.txt'), 'user b\n');
    git(repo, 'commit', '-qam', 'user edits');
    const before = snapshot(session.worktree);
    const error = await client.request('task.merge', { project: 'repo', number: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'conflict', message: 'merge conflicts in 2 files: a.txt, b.txt — nothing was changed; run `vibe task rebase 1 --ask-agent`', data: { files: ['a.txt', 'b.txt'] } });
    expect(snapshot(session.worktree)).toEqual(before);
    expect(await client.request('task.rebase', { project: 'repo', number: 1 })).toEqual({ outcome: 'conflict', files: ['a.txt', 'b.txt'] });
    expect(snapshot(session.worktree)).toEqual(before);
    expect((await task()).session?.state).toBe('idle');

    const text = await screen(session.id);
    expect(await client.request('task.rebase', { project: 'repo', number: 1, askAgent: true })).toEqual({ outcome: 'handed_to_agent', files: ['a.txt', 'b.txt'] });
    await until(text, (t) => t.includes('heard') && t.includes('conflicts in: a.txt, b.txt'), 'the prompt to reach the agent');
    expect(git(session.worktree, 'status')).toContain('rebase in progress');
    expect((await task()).status).toBe('in_progress');
  });

  it('refuses a dirty base checkout and a moved base; after a rebase the attempt merges', async () => {
    await boot({ fake: fake('hook:working;edit:notes.txt=n;commit:notes;hook:idle;sleep:60000') });
    await add('Notes', 'fake');
    const session = await start();
    await until(task, (t) => t.status === 'in_review', 'the agent to finish');
    writeFileSync(join(repo, 'a.txt'), 'unsaved\n');
    await expect(client.request('task.merge', { project: 'repo', number: 1 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/checked out with uncommitted changes/) });
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('unsaved\n');
    git(repo, 'checkout', '--', 'a.txt');
    commitOnMain('b.txt', 'moved on\n', 'base moves');
    await expect(client.request('task.merge', { project: 'repo', number: 1 })).rejects.toMatchObject({ code: 'conflict', message: 'the base moved; run `vibe task rebase 1` first — nothing was changed' });
    expect(await client.request('task.rebase', { project: 'repo', number: 1 })).toEqual({ outcome: 'rebased', files: [] });
    expect(await client.request('task.rebase', { project: 'repo', number: 1 })).toEqual({ outcome: 'up_to_date', files: [] });
    await client.request('task.merge', { project: 'repo', number: 1, mode: 'rebase' });
    expect(git(repo, 'log', '--format=%s', 'main')).toBe('notes\nbase moves\ninit');
    expect(existsSync(session.worktree)).toBe(false);
  });
});

describe('task.pr', () => {
  it('refuses without a remote, then pushes to the remote and gives the compare URL when gh is not there', async () => {
    await boot({ fake: fake('hook:working;edit:n.txt=n;commit:n;hook:idle;sleep:60000') });
    await add('Publish', 'fake');
    const session = await start();
    await until(task, (t) => t.status === 'in_review', 'the agent to finish');
    await expect(client.request('task.pr', { project: 'repo', number: 1 })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('no git remote') });
    const bare = join(dir, 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', bare]);
    git(repo, 'remote', 'add', 'origin', 'git@github.com:o/r.git');
    git(repo, 'remote', 'set-url', '--push', 'origin', bare);
    const original = process.env.PATH;
    // No gh, whatever this machine has installed: the compare URL is the outcome under test.
    process.env.PATH = (original ?? '').split(':').filter((p) => !existsSync(join(p, 'gh'))).join(':');
    try {
      const pr = await client.request('task.pr', { project: 'repo', number: 1, draft: true });
      expect(pr).toEqual({ remote: 'origin', repo: 'o/r', pushed: true, via: 'compare', url: `https://github.com/o/r/compare/main...${session.branch}?expand=1` });
    } finally {
      process.env.PATH = original;
    }
    expect(git(bare, 'rev-parse', session.branch)).toBe(git(repo, 'rev-parse', session.branch));
  });
});

describe('worktree.gc', () => {
  it('removes finished worktrees, keeps unmerged work without force, and never touches a running session', async () => {
    await boot({ work: fake('edit:w.txt=w;commit:w;exit:0'), idle: fake('exit:0'), busy: fake('hook:working;sleep:60000') });
    await add('Unmerged', 'work');
    await add('Empty', 'idle');
    await add('Running', 'busy');
    const unmerged = await start(1);
    const empty = await start(2);
    const running = await start(3);
    await until(async () => [await task(1), await task(2)], (ts) => ts.every((t) => t.session?.state === 'exited'), 'two agents to exit');
    for (const number of [1, 2, 3]) await client.request('task.move', { project: 'repo', number, status: 'cancelled' });

    const dry = await client.request('worktree.gc', { dryRun: true });
    expect(dry.removed.map((e) => e.taskNumber)).toEqual([2]);
    expect(dry.kept).toEqual([expect.objectContaining({ taskNumber: 1, worktree: unmerged.worktree, reason: expect.stringContaining('1 unmerged commit(s)') })]);
    expect(existsSync(empty.worktree)).toBe(true);

    const gc = await client.request('worktree.gc', {});
    expect(gc.removed).toEqual([{ project: 'repo', taskNumber: 2, attempt: 1, worktree: empty.worktree, branch: empty.branch }]);
    expect(existsSync(empty.worktree)).toBe(false);
    expect(existsSync(unmerged.worktree)).toBe(true);
    expect(existsSync(running.worktree)).toBe(true);

    const forced = await client.request('worktree.gc', { force: true });
    expect(forced.removed.map((e) => e.taskNumber)).toEqual([1]);
    expect(git(repo, 'branch', '--list', unmerged.branch)).toBe('');
    expect(existsSync(running.worktree)).toBe(true);
  });
});
