// Review and landing through the real bin/vibe, a real daemon, git and tmux, with the scripted fake agent:
// diff, review, merge (and its refusals: a conflict, a dirty base checkout), and the task's history.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fakeAgent, Sandbox } from './harness.js';

interface Task {
  project: string;
  number: number;
  status: string;
  session: { state: string } | null;
}
interface Session {
  taskNumber: number;
  attempt: number;
  branch: string;
  worktree: string;
}
interface Diff {
  base: string;
  branch: string;
  files: { path: string; status: string; additions: number; deletions: number }[];
  patch: string;
  truncated: boolean;
}

let sandbox: Sandbox;
let repo: string;

// Each agent commits one change and then stays open, idle, as an interactive agent CLI would.
const committing = (edit: string): Record<string, unknown> => fakeAgent(`hook:working;edit:${edit};commit:agent change;hook:idle;sleep:600000`);

beforeAll(async () => {
  sandbox = new Sandbox();
  sandbox.configure({
    defaultAgent: 'worker',
    agents: {
      worker: committing('feature.txt=hello'),
      readme: committing('README.md=# changed by the agent'),
      other: committing('other.txt=more'),
    },
  });
  repo = sandbox.repo('app');
  const up = await sandbox.vibe(['up'], { cwd: repo });
  expect(up.code, up.stderr).toBe(0);
});
afterAll(async () => {
  await sandbox?.dispose();
});

const run = (args: string[], input?: string) => sandbox.vibe(args, { cwd: repo, ...(input !== undefined && { input }) });
const json = <T>(args: string[]) => sandbox.json<T>(args, { cwd: repo });
const git = (...args: string[]): string => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { encoding: 'utf8' });

/** Adds a task for `agent`, starts it and waits until its agent has committed and gone idle. */
async function workedTask(title: string, agent: string): Promise<{ number: number; session: Session }> {
  const task = await json<Task>(['task', 'add', title, '--agent', agent]);
  const { session } = await json<{ session: Session }>(['task', 'start', String(task.number)]);
  await eventually(async () => {
    const { tasks } = await json<{ tasks: Task[] }>(['task', 'ls']);
    return tasks.find((t) => t.number === task.number)?.session?.state === 'idle' ? true : undefined;
  }, `task ${task.number} to be idle`);
  return { number: task.number, session };
}

describe('vibe task diff', () => {
  let number: number;
  beforeAll(async () => {
    ({ number } = await workedTask('Add a feature file', 'worker'));
  });

  it("prints the attempt's committed change as git's plain unified diff when not on a terminal", async () => {
    const diff = await run(['task', 'diff', String(number)]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('diff --git a/feature.txt b/feature.txt');
    expect(diff.stdout).toMatch(/^\+hello$/m);
    expect(diff.stdout).not.toContain('\x1b');
  });

  it('prints a diffstat with --stat and the file names with --name-only', async () => {
    const stat = await run(['task', 'diff', String(number), '--stat']);
    expect(stat.code, stat.stderr).toBe(0);
    expect(stat.stdout).toMatch(/^ feature\.txt \| \+1 -0 \+$/m);
    expect(stat.stdout).toContain(' 1 file changed, 1 insertion(+), 0 deletions(-)');
    const names = await run(['task', 'diff', String(number), '--name-only']);
    expect(names.stdout).toBe('feature.txt\n');
  });

  it('prints one JSON document with --json', async () => {
    const diff = await json<Diff>(['task', 'diff', String(number)]);
    expect(diff.base).toBe('main');
    expect(diff.branch).toMatch(new RegExp(`^vibe/${number}-`));
    expect(diff.files).toEqual([expect.objectContaining({ path: 'feature.txt', status: 'added', additions: 1, deletions: 0 })]);
    expect(diff.patch).toContain('+hello');
    expect(diff.truncated).toBe(false);
  });

  it('is a usage error to ask for --stat and --name-only together', async () => {
    const both = await run(['task', 'diff', String(number), '--stat', '--name-only']);
    expect(both.code).toBe(2);
  });
});

describe('vibe task merge', () => {
  it('lands the attempt on main, moves the task to done and removes its worktree; task log lists the merge', async () => {
    const { number, session } = await workedTask('Feature to land', 'worker');
    const merged = await run(['task', 'merge', String(number)]);
    expect(merged.code, merged.stderr).toBe(0);
    const line = new RegExp(`^merged app#${number} into main \\(squash, ([0-9a-f]{7})\\)$`, 'm').exec(merged.stderr);
    expect(line, merged.stderr).not.toBeNull();
    expect(git('log', 'main', '-1', '--format=%h').trim().startsWith(line![1]!)).toBe(true);
    expect(git('show', 'main:feature.txt')).toBe('hello\n');
    expect(readFileSync(join(repo, 'feature.txt'), 'utf8')).toBe('hello\n');
    expect((await json<Task>(['task', 'show', String(number)])).status).toBe('done');
    expect(existsSync(session.worktree)).toBe(false);

    const log = await run(['task', 'log', String(number)]);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toMatch(new RegExp(`task\\.merged\\s+merged \\(squash\\) as ${line![1]}`));
    expect(log.stdout).toMatch(/task\.moved\s+moved todo → in_progress/);
    expect(log.stdout).toMatch(/attempt 1 started with worker on vibe\//);
    const entries = (await json<{ entries: { name: string }[] }>(['task', 'log', String(number)])).entries;
    expect(entries.map((entry) => entry.name)).toContain('task.merged');
  });

  it('refuses several merge modes at once as a usage error', async () => {
    const both = await run(['task', 'merge', '1', '--squash', '--merge']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--squash, --merge were given together');
  });

  it('refuses a merge that conflicts with main, listing the file, and leaves the repository as it was', async () => {
    const { number } = await workedTask('Rewrite the readme', 'readme');
    writeFileSync(join(repo, 'README.md'), '# changed on main\n');
    git('commit', '-qam', 'readme on main');
    const before = git('rev-parse', 'main');

    const merged = await run(['task', 'merge', String(number)]);
    expect(merged.code).toBe(1);
    expect(merged.stderr).toMatch(/^vibe: .*conflict/);
    expect(merged.stderr).toMatch(/^ {2}README\.md$/m);
    expect(git('rev-parse', 'main')).toBe(before);
    expect(git('status', '--porcelain')).toBe('');
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('# changed on main\n');
    expect((await json<Task>(['task', 'show', String(number)])).status).not.toBe('done');

    // The review goes to the agent that is still running in the attempt, and into the history.
    const review = await run(['task', 'review', String(number), '-'], 'please keep the old title\n');
    expect(review.code, review.stderr).toBe(0);
    expect(review.stderr).toBe('sent to the agent\n');
    const log = await run(['task', 'log', String(number)]);
    expect(log.stdout).toContain('review: "please keep the old title"');
  });

  it('refuses while a rebase handed to the agent is unfinished, naming it and the way out, and touches nothing', async () => {
    const { number, session } = await workedTask('Retitle the readme', 'readme');
    writeFileSync(join(repo, 'README.md'), '# changed on main once more\n');
    git('commit', '-qam', 'readme on main again');
    const rebase = await run(['task', 'rebase', String(number), '--ask-agent']);
    expect(rebase.code, rebase.stderr).toBe(0);
    const wt = (...args: string[]): string => execFileSync('git', ['-C', session.worktree, ...args], { encoding: 'utf8' });
    expect(wt('status')).toContain('rebase in progress');
    const before = { main: git('rev-parse', 'main'), head: wt('rev-parse', 'HEAD'), status: wt('status', '--porcelain') };

    const merged = await run(['task', 'merge', String(number)]);
    expect(merged.code).toBe(1);
    expect(merged.stderr).toBe(
      "vibe: the attempt's worktree is in the middle of a rebase (`vibe task rebase --ask-agent` leaves it so for the agent): " +
        `let the agent finish it, or undo it with \`git rebase --abort\` in ${session.worktree} — nothing was changed\n`,
    );
    expect({ main: git('rev-parse', 'main'), head: wt('rev-parse', 'HEAD'), status: wt('status', '--porcelain') }).toEqual(before);
    expect(wt('status')).toContain('rebase in progress');
    expect((await json<Task>(['task', 'show', String(number)])).status).not.toBe('done');
  });

  it('refuses while the base checkout has uncommitted changes, and touches nothing', async () => {
    const { number } = await workedTask('Another file', 'other');
    writeFileSync(join(repo, 'README.md'), '# uncommitted edit\n');
    const before = git('rev-parse', 'main');
    try {
      const merged = await run(['task', 'merge', String(number)]);
      expect(merged.code).toBe(1);
      expect(merged.stderr).toMatch(/uncommitted changes/);
      expect(merged.stderr).toMatch(/^ {2}README\.md$/m);
      expect(git('rev-parse', 'main')).toBe(before);
      expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('# uncommitted edit\n');
      expect(existsSync(join(repo, 'other.txt'))).toBe(false);
    } finally {
      git('checkout', '--', 'README.md');
    }
  });
});
