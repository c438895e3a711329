// How tasks are printed: the `task ls` table and the `task show` detail, escaped and fitted to the terminal.
import type { Session, Task } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { formatTaskDetail, formatTaskTable, taskName } from './task-format.js';
import { palette } from './terminal.js';

const task = (overrides: Partial<Task> = {}): Task => ({
  project: 'myapp',
  projectId: 1,
  number: 1,
  title: 'Fix the flaky login test',
  description: '',
  agent: 'claude',
  status: 'todo',
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
  attempts: 0,
  session: null,
  ...overrides,
});

const now = Date.parse('2026-01-02T03:10:05.000Z');

const session = (overrides: Partial<Session> = {}): Session => ({
  id: 4,
  project: 'myapp',
  taskNumber: 1,
  attempt: 1,
  agent: 'claude',
  state: 'working',
  exitCode: null,
  host: 'tmux',
  branch: 'vibe/1-fix-the-flaky-login-test',
  worktree: '/data/worktrees/myapp/1-1',
  pid: 999,
  cols: 80,
  rows: 24,
  startedAt: '2026-01-02T03:04:05.000Z',
  endedAt: null,
  lastActivityAt: '2026-01-02T03:07:05.000Z',
  ...overrides,
});

/** The task's summary of a session, as task.list and task.get carry it. */
const summary = (s: Session): NonNullable<Task['session']> => ({
  id: s.id,
  attempt: s.attempt,
  agent: s.agent,
  state: s.state,
  exitCode: s.exitCode,
  lastActivityAt: s.lastActivityAt,
});

const plain = palette(false);
const ESC = /\x1b/;

describe('formatTaskTable', () => {
  it('lists ID, STATUS, AGENT, STATE, ATTEMPTS and TITLE without colour when colour is off', () => {
    const lines = formatTaskTable([task(), task({ number: 12, status: 'in_progress', agent: null, title: 'Add dark mode' })], {
      colors: plain,
      showProject: false,
    });
    expect(lines).toEqual([
      'ID  STATUS       AGENT   STATE  ATTEMPTS  TITLE',
      '1   todo         claude  -             0  Fix the flaky login test',
      '12  in_progress  -       -             0  Add dark mode',
    ]);
    expect(lines.join('\n')).not.toMatch(ESC);
  });

  it("shows the newest attempt's agent and state, and how many attempts there were", () => {
    const lines = formatTaskTable(
      [
        task({ status: 'in_progress', attempts: 2, session: summary(session({ agent: 'codex', state: 'waiting', attempt: 2 })) }),
        task({ number: 2, status: 'in_review', attempts: 1, session: summary(session({ state: 'exited', exitCode: 3 })) }),
        task({ number: 3, status: 'in_progress', agent: null, attempts: 1, session: summary(session({ state: 'idle' })) }),
      ],
      { colors: plain, showProject: false },
    );
    expect(lines).toEqual([
      'ID  STATUS       AGENT   STATE     ATTEMPTS  TITLE',
      '1   in_progress  codex   waiting          2  Fix the flaky login test',
      '2   in_review    claude  exited 3         1  Fix the flaky login test',
      '3   in_progress  claude  idle             1  Fix the flaky login test',
    ]);
  });

  it('makes a waiting agent stand out on a colour terminal', () => {
    const lines = formatTaskTable([task({ attempts: 1, session: summary(session({ state: 'waiting' })) })], { colors: palette(true), showProject: false });
    expect(lines[1]).toContain('\x1b[1m\x1b[31mwaiting\x1b[39m\x1b[22m');
  });

  it('adds a PROJECT column when listing every project', () => {
    const lines = formatTaskTable([task({ project: 'web' })], { colors: plain, showProject: true });
    expect(lines[0]).toBe('PROJECT  ID  STATUS  AGENT   STATE  ATTEMPTS  TITLE');
    expect(lines[1]).toMatch(/^web {6}1 {3}todo/);
  });

  it('colours statuses when colour is on', () => {
    const lines = formatTaskTable([task({ status: 'done' })], { colors: palette(true), showProject: false });
    expect(lines[1]).toContain('\x1b[32mdone\x1b[39m');
  });

  it('cuts titles to the terminal width on a TTY', () => {
    const lines = formatTaskTable([task({ title: 'word '.repeat(40) })], { colors: plain, showProject: false, width: 60 });
    expect(lines[1]!.length).toBeLessThanOrEqual(60);
    expect(lines[1]!.endsWith('…')).toBe(true);
  });

  it('keeps titles whole when not on a TTY', () => {
    const title = 'word '.repeat(40).trim();
    expect(formatTaskTable([task({ title })], { colors: plain, showProject: false })[1]).toContain(title);
  });

  it('escapes control characters in titles, agents and project names', () => {
    const lines = formatTaskTable([task({ title: 'evil\x1b]52;c;aGk=\x07', project: 'p\u202e' })], { colors: plain, showProject: true });
    expect(lines[1]).toContain('evil\\x1b]52;c;aGk=\\x07');
    expect(lines[1]).toContain('p\\u202e');
    for (const line of lines) expect(line).not.toMatch(/[\x00-\x1f\u202e]/);
  });
});

describe('formatTaskDetail', () => {
  it('shows every field and the description body', () => {
    const lines = formatTaskDetail(task({ description: 'First line\n\tindented\n' }), plain);
    expect(lines).toEqual([
      '#1 Fix the flaky login test',
      'project  myapp',
      'status   todo',
      'agent    claude',
      'created  2026-01-02T03:04:05.000Z',
      'updated  2026-01-02T03:04:05.000Z',
      'attempts 0 — not started yet',
      '',
      'First line',
      '\tindented',
    ]);
  });

  it("shows the newest attempt's state, agent, branch and worktree", () => {
    const newest = session({ state: 'waiting' });
    const lines = formatTaskDetail(task({ attempts: 1, session: summary(newest) }), plain, { sessions: [newest], now });
    expect(lines.slice(6)).toEqual([
      'attempts 1 (newest: attempt 1, session 4)',
      'state    waiting — claude, last activity 3m ago',
      'branch   vibe/1-fix-the-flaky-login-test',
      'worktree /data/worktrees/myapp/1-1',
    ]);
  });

  it('lists every attempt when there were several', () => {
    const first = session({ id: 2, state: 'exited', exitCode: 0, branch: 'vibe/1-a', worktree: '/w/1-1' });
    const second = session({ id: 7, attempt: 2, agent: 'codex', branch: 'vibe/1-a-2', worktree: '/w/1-2' });
    const lines = formatTaskDetail(task({ attempts: 2, session: summary(second) }), plain, { sessions: [second, first], now });
    expect(lines.slice(-4)).toEqual([
      '',
      'ATTEMPT  SESSION  AGENT   STATE     BRANCH      WORKTREE',
      '      1        2  claude  exited 0  vibe/1-a    /w/1-1',
      '      2        7  codex   working   vibe/1-a-2  /w/1-2',
    ]);
  });

  it('leaves out branch and worktree when the sessions could not be listed', () => {
    const lines = formatTaskDetail(task({ attempts: 1, session: summary(session()) }), plain, { now });
    expect(lines.some((line) => line.startsWith('branch'))).toBe(false);
    expect(lines).toContain('state    working — claude, last activity 3m ago');
  });

  it('escapes branch and worktree text', () => {
    const evil = session({ branch: 'vibe/\x1b[2J', worktree: '/w/\u202e' });
    const lines = formatTaskDetail(task({ attempts: 1, session: summary(evil) }), plain, { sessions: [evil], now });
    for (const line of lines) expect(line).not.toMatch(/[\x00-\x1f\u202e]/);
  });

  it('says when the default agent is used', () => {
    expect(formatTaskDetail(task({ agent: null }), plain)).toContain('agent    (default)');
  });

  it('escapes the description but keeps its line breaks', () => {
    const lines = formatTaskDetail(task({ description: 'a\x1b[2Jb\nc' }), plain);
    expect(lines.slice(-2)).toEqual(['a\\x1b[2Jb', 'c']);
  });
});

describe('taskName', () => {
  it('names a task PROJECT#N, escaped', () => {
    expect(taskName({ project: 'my\x1bapp', number: 4 })).toBe('my\\x1bapp#4');
  });
});
