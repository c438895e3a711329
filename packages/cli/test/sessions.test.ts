// Sessions through the real bin/vibe, a real daemon, git and tmux, with the scripted fake agent: start,
// agent states, send, ps, stop, remove, project settings and the session limit.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fakeAgent, Sandbox } from './harness.js';

interface SessionSummary {
  id: number;
  attempt: number;
  agent: string;
  state: string;
  exitCode: number | null;
}
interface Task {
  project: string;
  number: number;
  status: string;
  attempts: number;
  session: SessionSummary | null;
}
interface Session extends SessionSummary {
  project: string;
  taskNumber: number;
  host: 'tmux' | 'pty';
  branch: string;
  worktree: string;
  pid: number | null;
  cols: number;
  rows: number;
  stats: { cpuPercent: number | null; memoryBytes: number | null };
}
interface Project {
  name: string;
  baseBranch: string;
  settings: { setup: string | null; instructions: string | null; maxSessions: number };
}

let sandbox: Sandbox;
let repo: string;

beforeAll(async () => {
  sandbox = new Sandbox();
  sandbox.configure({
    defaultAgent: 'asker',
    agents: {
      // Says hello, asks, and reports each state through the hook: waiting for the answer, working on it, idle after.
      asker: fakeAgent('print:hello from the fake agent;hook:waiting;ask:Continue? (yes/no) ;expect:yes;hook:working;print:got {answer};hook:idle;sleep:600000'),
      // Commits work on its branch, then exits with code 3.
      worker: fakeAgent('hook:working;edit:feature.txt=made by the agent;commit:add feature;print:committed;exit:3'),
      sleeper: fakeAgent('hook:working;sleep:600000'),
      // Exits at once, leaving its worktree as it found it.
      quitter: fakeAgent('exit:0'),
      // Leaves an uncommitted file behind.
      scribbler: fakeAgent('edit:draft.txt=half done;exit:0'),
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
const add = async (title: string, extra: string[] = []): Promise<Task> => json<Task>(['task', 'add', title, ...extra]);
const task = async (number: number): Promise<Task> => json<Task>(['task', 'show', String(number)]);
const sessions = async (extra: string[] = []): Promise<Session[]> => (await json<{ sessions: Session[] }>(['ps', ...extra])).sessions;

/** Waits until task `number`'s newest session is in `state` (per `vibe task ls --json`). */
async function stateOf(number: number, state: string): Promise<Task> {
  return eventually(async () => {
    const { tasks } = await json<{ tasks: Task[] }>(['task', 'ls']);
    const found = tasks.find((t) => t.number === number);
    return found?.session?.state === state ? found : undefined;
  }, `task ${number} to be ${state}`);
}

function branches(): string[] {
  return execFileSync('git', ['-C', repo, 'branch', '--list', 'vibe/*', '--format=%(refname:short)'], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('vibe task start', () => {
  it('starts an attempt in its own worktree and branch, prints the session and how to attach', async () => {
    const created = await add('Fix the flaky login test');
    const started = await run(['task', 'start', String(created.number)]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/^session\s+\d+ \(attempt 1\)$/m);
    expect(started.stdout).toMatch(/^agent\s+asker$/m);
    expect(started.stdout).toMatch(new RegExp(`^branch\\s+vibe/${created.number}-`, 'm'));
    expect(started.stdout).toMatch(/^worktree\s+\//m);
    expect(started.stderr).toContain(`started app#${created.number} — vibe attach ${created.number} to watch it`);
    const [session] = (await sessions()).filter((s) => s.taskNumber === created.number);
    expect(session).toMatchObject({ agent: 'asker', attempt: 1, host: 'tmux' });
    expect(session!.worktree.startsWith(repo)).toBe(false);
    expect(branches()).toContain(session!.branch);
    expect((await task(created.number)).status).toBe('in_progress');
  });

  it('shows the agent state moving in task ls, and `vibe send` answers the question', async () => {
    const created = await add('Answer a question');
    expect((await run(['task', 'start', String(created.number)])).code).toBe(0);
    const waiting = await stateOf(created.number, 'waiting');
    expect(waiting).toMatchObject({ attempts: 1, session: { agent: 'asker', attempt: 1 } });
    const table = await run(['task', 'ls']);
    expect(table.stdout).toMatch(new RegExp(`^${created.number}\\s+in_progress\\s+asker\\s+waiting\\s+1\\s+Answer a question$`, 'm'));

    const sent = await run(['send', String(created.number), 'yes', '--enter']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr).toBe(`sent 3 characters and Enter to task ${created.number}\n`);
    const idle = await stateOf(created.number, 'idle');
    // A working agent that goes idle moves its task to review.
    expect(idle.status).toBe('in_review');
  });

  it('types text from stdin into a session named by its id', async () => {
    const created = await add('Answer through stdin');
    const { session } = await json<{ session: Session }>(['task', 'start', String(created.number)]);
    await stateOf(created.number, 'waiting');
    const sent = await run(['send', `s${session.id}`, '-', '--enter'], 'yes\n');
    expect(sent.code, sent.stderr).toBe(0);
    await stateOf(created.number, 'idle');
  });

  it('records the exit code of an agent that exits, keeps its commits on the branch, and lists it in ps', async () => {
    const created = await add('Commit and exit', ['--agent', 'worker']);
    const { session } = await json<{ session: Session }>(['task', 'start', String(created.number)]);
    const exited = await stateOf(created.number, 'exited');
    expect(exited.session?.exitCode).toBe(3);
    const log = execFileSync('git', ['-C', repo, 'log', '--format=%s', session.branch], { encoding: 'utf8' });
    expect(log.split('\n')[0]).toBe('add feature');
    const listed = (await sessions()).find((s) => s.id === session.id)!;
    expect(listed).toMatchObject({ state: 'exited', exitCode: 3, pid: null });
    const table = await run(['ps']);
    expect(table.stdout).toMatch(/^\s*SESSION\s+TASK\s+ATTEMPT\s+AGENT\s+STATE\s+PID\s+CPU\s+MEM\s+ACTIVITY\s+HOST$/m);
    expect(table.stdout).toMatch(new RegExp(`^\\s*${session.id}\\s+${created.number}\\s+1\\s+worker\\s+exited 3\\s+-`, 'm'));
    const show = await run(['task', 'show', String(created.number)]);
    expect(show.stdout).toMatch(/^state\s+exited 3 — worker, last activity /m);
    expect(show.stdout).toContain(`branch   ${session.branch}`);
  });

  it('starts again with another agent as a second attempt, keeping the first listed', async () => {
    const created = await add('Try twice', ['--agent', 'worker']);
    const first = (await json<{ session: Session }>(['task', 'start', String(created.number)])).session;
    await stateOf(created.number, 'exited');
    const second = (await json<{ session: Session }>(['task', 'start', String(created.number), '--agent', 'sleeper'])).session;
    expect(second).toMatchObject({ attempt: 2, agent: 'sleeper' });
    expect(second.branch).not.toBe(first.branch);
    const shown = await task(created.number);
    expect(shown).toMatchObject({ attempts: 2, session: { id: second.id, agent: 'sleeper' } });
    const page = await run(['task', 'show', String(created.number)]);
    expect(page.stdout).toMatch(/^ATTEMPT\s+SESSION\s+AGENT\s+STATE\s+BRANCH\s+WORKTREE$/m);
    expect(page.stdout).toContain(first.branch);
    expect(page.stdout).toContain(second.branch);
  });

  it('refuses an unknown agent clearly, creating nothing', async () => {
    const created = await add('No such agent');
    const refused = await run(['task', 'start', String(created.number), '--agent', 'nosuchagent']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/nosuchagent/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(await task(created.number)).toMatchObject({ status: 'todo', attempts: 0, session: null });
  });

  it('adds and starts in one go with --start, the number alone on stdout', async () => {
    const added = await run(['task', 'add', 'Both at once', '--agent', 'sleeper', '--start']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^\d+\n$/);
    const number = Number(added.stdout);
    expect(added.stderr).toContain(`created app#${number}`);
    expect(added.stderr).toContain(`started app#${number}`);
    await stateOf(number, 'working');
    const both = await json<{ task: Task; session: Session }>(['task', 'add', 'Both as JSON', '--agent', 'sleeper', '--start']);
    expect(both.session).toMatchObject({ taskNumber: both.task.number, agent: 'sleeper' });
  });
});

describe('vibe task stop and rm', () => {
  it('stops a running session and keeps its worktree', async () => {
    const created = await add('Stop me', ['--agent', 'sleeper']);
    const { session } = await json<{ session: Session }>(['task', 'start', String(created.number)]);
    await stateOf(created.number, 'working');
    const stopped = await run(['task', 'stop', String(created.number)]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toContain(`stopped app#${created.number} (session ${session.id}`);
    await stateOf(created.number, 'exited');
    expect(branches()).toContain(session.branch);
    // Stopping what is already stopped succeeds and says so.
    const again = await run(['task', 'stop', String(created.number)]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`nothing to stop: task ${created.number} has no running session\n`);
  });

  it('refuses to remove a task whose attempts hold work without --force, saying what would be lost', async () => {
    const created = await add('Work to lose', ['--agent', 'worker']);
    const { session } = await json<{ session: Session }>(['task', 'start', String(created.number)]);
    await stateOf(created.number, 'exited');
    const refused = await run(['task', 'rm', String(created.number)]);
    expect(refused.code).toBe(1);
    const lines = refused.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`vibe: removing task ${created.number} would lose work:`);
    expect(lines[1]).toMatch(new RegExp(`^  attempt 1: ${session.branch} \\(1 unmerged commit`));
    expect(lines[1]).toContain(session.worktree);
    expect(lines.at(-1)).toBe(`to remove it anyway: vibe task rm ${created.number} --force`);
    expect(branches()).toContain(session.branch);

    const forced = await run(['task', 'rm', String(created.number), '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    // What --force throws away is said before the removal is reported.
    const said = forced.stderr.indexOf(`--force: losing attempt 1: ${session.branch} (1 unmerged commit`);
    expect(said).toBeGreaterThanOrEqual(0);
    expect(said).toBeLessThan(forced.stderr.indexOf(`removed app#${created.number}`));
    expect(forced.stderr).toContain(`attempt 1 (worker): branch ${session.branch}, worktree ${session.worktree}`);
    expect(branches()).not.toContain(session.branch);
    expect((await run(['task', 'show', String(created.number)])).code).toBe(1);
  });

  it('looks at every attempt before removing any, and names each that blocks: a clean first attempt stays too', async () => {
    const { number } = await add('Three tries', ['--agent', 'quitter']);
    const start = async (agent: string): Promise<Session> => (await json<{ session: Session }>(['task', 'start', String(number), '--agent', agent])).session;
    const clean = await start('quitter');
    await stateOf(number, 'exited');
    const dirty = await start('scribbler');
    await stateOf(number, 'exited');
    const running = await start('sleeper');
    await stateOf(number, 'working');

    const refused = await run(['task', 'rm', String(number)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trimEnd().split('\n')).toEqual([
      `vibe: removing task ${number} would lose work:`,
      `  attempt 2: ${dirty.branch} (uncommitted changes) at ${dirty.worktree}`,
      `  attempt 3: ${running.branch} (agent running) at ${running.worktree}`,
      `to stop its agent first: vibe task stop ${number}`,
      `to remove it anyway: vibe task rm ${number} --force`,
    ]);
    for (const session of [clean, dirty, running]) expect(existsSync(session.worktree), session.worktree).toBe(true);
    expect(branches()).toEqual(expect.arrayContaining([clean.branch, dirty.branch, running.branch]));
    expect((await task(number)).attempts).toBe(3);
    expect((await task(number)).session?.state).toBe('working');

    // Stopped, the running attempt no longer blocks; the uncommitted file still does, alone.
    expect((await run(['task', 'stop', String(number)])).code).toBe(0);
    const still = await run(['task', 'rm', String(number)]);
    expect(still.code).toBe(1);
    expect(still.stderr).toContain(`  attempt 2: ${dirty.branch} (uncommitted changes) at ${dirty.worktree}\nto remove it anyway`);
    expect(existsSync(clean.worktree)).toBe(true);
  });

  it('removes a task that was never started as before, without --force', async () => {
    const created = await add('Never started');
    const removed = await run(['task', 'rm', String(created.number)]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toBe(`removed app#${created.number}\n`);
  });
});

describe('vibe project set and ls', () => {
  it('sets the setup command, instructions from a file, the session limit, and clears them', async () => {
    const rules = join(sandbox.dir, 'rules.md');
    writeFileSync(rules, '# House rules\n\nUse pnpm.\n');
    const set = await json<Project>(['project', 'set', '--setup', 'npm ci', '--instructions', rules, '--max-sessions', '5']);
    expect(set.settings).toEqual({ setup: 'npm ci', instructions: '# House rules\n\nUse pnpm.\n', maxSessions: 5 });
    const { projects } = await json<{ projects: Project[] }>(['project', 'ls']);
    expect(projects.find((p) => p.name === 'app')?.settings.maxSessions).toBe(5);
    const table = await run(['project', 'ls']);
    expect(table.stdout).toMatch(/^NAME\s+BASE\s+MAX\s+INSTRUCTIONS\s+PATH\s+SETUP$/m);
    expect(table.stdout).toMatch(/^app\s+main\s+5\s+3 lines\s+\S+\s+npm ci$/m);

    const fromStdin = await sandbox.json<Project>(['project', 'set', '--instructions', '-'], { cwd: repo, input: 'from stdin\n' });
    expect(fromStdin.settings.instructions).toBe('from stdin\n');
    const cleared = await json<Project>(['project', 'set', '--no-setup', '--no-instructions', '--max-sessions', '8']);
    expect(cleared.settings).toEqual({ setup: null, instructions: null, maxSessions: 8 });
  });

  it('changes the base branch new attempts start from', async () => {
    execFileSync('git', ['-C', repo, 'branch', 'develop']);
    try {
      expect((await json<Project>(['project', 'set', '--base', 'develop'])).baseBranch).toBe('develop');
      const { projects } = await json<{ projects: Project[] }>(['project', 'ls']);
      expect(projects.find((p) => p.name === 'app')?.baseBranch).toBe('develop');
    } finally {
      await run(['project', 'set', '--base', 'main']);
    }
  });

  it('refuses a missing instructions file before asking the daemon, changing nothing', async () => {
    const before = await json<{ projects: Project[] }>(['project', 'ls']);
    const missing = await run(['project', 'set', '--max-sessions', '3', '--instructions', join(sandbox.dir, 'nope.md')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`vibe: the instructions file ${join(sandbox.dir, 'nope.md')} does not exist\n`);
    expect(await json<{ projects: Project[] }>(['project', 'ls'])).toEqual(before);
  });

  it('refuses a start beyond --max-sessions with a clear message', async () => {
    const running = (await sessions(['--running'])).length;
    expect((await run(['project', 'set', '--max-sessions', String(Math.max(1, running))])).code).toBe(0);
    try {
      const created = await add('One too many', ['--agent', 'sleeper']);
      const refused = await run(['task', 'start', String(created.number)]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/max.?sessions|sessions/i);
      expect((await task(created.number)).attempts).toBe(0);
    } finally {
      await run(['project', 'set', '--max-sessions', '8']);
    }
  });
});

describe('vibe status and ps', () => {
  it('reports the machine and the session host', async () => {
    const status = await json<{ machine: { cpus: number; memoryTotalBytes: number }; sessionHost: string }>(['status']);
    expect(status.machine.cpus).toBeGreaterThan(0);
    expect(status.machine.memoryTotalBytes).toBeGreaterThan(0);
    expect(status.sessionHost).toBe('tmux');
    const human = await run(['status']);
    expect(human.stdout).toMatch(/^sessions tmux \(agents keep running across daemon restarts\)$/m);
    expect(human.stdout).toMatch(/^machine {2}\d+ CPUs?, load [\d.]+ [\d.]+ [\d.]+, up /m);
    expect(human.stdout).toMatch(/^memory {3}[\d.]+ \w+ free of [\d.]+ \w+$/m);
  });

  it('lists running sessions with their process, CPU and memory', async () => {
    const created = await add('Measure me', ['--agent', 'sleeper']);
    const { session } = await json<{ session: Session }>(['task', 'start', String(created.number)]);
    await stateOf(created.number, 'working');
    const listed = await eventually(async () => (await sessions(['--running'])).find((s) => s.id === session.id && s.stats.memoryBytes !== null), 'memory stats');
    expect(listed.pid).toBeGreaterThan(0);
    expect(listed.stats.memoryBytes).toBeGreaterThan(0);
    const all = await sessions(['--all-projects']);
    expect(all.some((s) => s.id === session.id)).toBe(true);
  });
});
