// A task's history as a table: local times, the event, and what happened in words, escaped.
import type { Session, Task } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { formatTaskLog, shortTime, type LogEntry } from './log-format.js';
import { palette } from './terminal.js';

const at = new Date(2026, 4, 4, 10, 11, 12).toISOString();
const task: Task = {
  project: 'app',
  projectId: 1,
  number: 3,
  title: 'Fix login',
  description: '',
  agent: null,
  status: 'in_progress',
  createdAt: at,
  updatedAt: at,
};
const session: Session = {
  id: 7,
  project: 'app',
  taskNumber: 3,
  attempt: 2,
  agent: 'codex',
  state: 'starting',
  exitCode: null,
  host: 'tmux',
  branch: 'vibe/3-fix-2',
  worktree: '/tmp/wt',
  pid: 42,
  cols: 80,
  rows: 24,
  startedAt: at,
  endedAt: null,
  lastActivityAt: at,
};

let seq = 0;
const entry = (data: Omit<LogEntry, 'seq' | 'at'>): LogEntry => ({ seq: ++seq, at, ...data }) as LogEntry;

const entries: LogEntry[] = [
  entry({ name: 'task.created', data: { task: { ...task, status: 'todo' } } }),
  entry({ name: 'task.moved', data: { task, from: 'todo' } }),
  entry({ name: 'session.updated', data: { session } }),
  entry({ name: 'session.updated', data: { session: { ...session, state: 'waiting' } } }),
  entry({ name: 'session.updated', data: { session: { ...session, state: 'waiting', cols: 120 } } }),
  entry({ name: 'session.updated', data: { session: { ...session, state: 'exited', exitCode: 3 } } }),
  entry({ name: 'task.reviewed', data: { task, attempt: 2, comment: 'please add tests\n\x1b[2Jnow' } }),
  entry({ name: 'task.merged', data: { task: { ...task, status: 'done' }, attempt: 2, branch: 'vibe/3-fix-2', commit: 'abc1234def5678', mode: 'squash' } }),
];

describe('formatTaskLog', () => {
  it('shows each change in words, with the local time, and skips session updates that change no state', () => {
    expect(formatTaskLog(entries, { colors: palette(false) })).toEqual([
      'TIME              EVENT            DETAILS',
      '2026-05-04 10:11  task.created     created "Fix login"',
      '2026-05-04 10:11  task.moved       moved todo → in_progress',
      '2026-05-04 10:11  session.updated  attempt 2 started with codex on vibe/3-fix-2',
      '2026-05-04 10:11  session.updated  agent waiting',
      '2026-05-04 10:11  session.updated  agent exited (code 3)',
      '2026-05-04 10:11  task.reviewed    review: "please add tests\\n\\x1b[2Jnow"',
      '2026-05-04 10:11  task.merged      merged (squash) as abc1234',
    ]);
  });

  it('cuts long details to the terminal width', () => {
    const long = entry({ name: 'task.reviewed', data: { task, attempt: 1, comment: 'x'.repeat(200) } });
    const [, line] = formatTaskLog([long], { colors: palette(false), width: 60 });
    expect(line).toHaveLength(60);
    expect(line!.endsWith('…')).toBe(true);
  });

  it('shows a message to the task\'s inbox with its sender, and the receipt when the agent read it', () => {
    const message = { id: 4, project: 'app', to: 3, from: { task: 2, label: 'task 2' }, text: 'API changed\x1b[2J', at, readAt: null };
    const lines = formatTaskLog([entry({ name: 'inbox.posted', data: { message } }), entry({ name: 'inbox.read', data: { project: 'app', to: 3, ids: [4, 5], at } })], {
      colors: palette(false),
    });
    expect(lines.slice(1)).toEqual(['2026-05-04 10:11  inbox.posted  message from task 2: "API changed\\x1b[2J"', '2026-05-04 10:11  inbox.read    read 2 messages']);
  });

  it('names the state a session was first seen in when it was not starting', () => {
    const [, line] = formatTaskLog([entry({ name: 'session.updated', data: { session: { ...session, state: 'working' } } })], { colors: palette(false) });
    expect(line).toContain('attempt 2 started with codex on vibe/3-fix-2; agent working');
  });
});

describe('shortTime', () => {
  it('prints local date and minutes, or the escaped text when it is not a time', () => {
    expect(shortTime(at)).toBe('2026-05-04 10:11');
    expect(shortTime('never\x07')).toBe('never\\x07');
  });
});
