// How `vibe ps` and `task start` print sessions: columns, humanised numbers, escaping.
import type { Session } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { formatSessionSummary, formatSessionTable, type ListedSession, type SessionStats } from './session-format.js';
import { palette } from './terminal.js';

const plain = palette(false);
const now = Date.parse('2026-01-02T04:00:00.000Z');

const session = (overrides: Partial<Session> = {}): Session => ({
  id: 4,
  project: 'myapp',
  taskNumber: 3,
  attempt: 1,
  agent: 'claude',
  state: 'working',
  exitCode: null,
  host: 'tmux',
  branch: 'vibe/3-fix-login',
  worktree: '/data/worktrees/myapp/3-1',
  pid: 4242,
  cols: 100,
  rows: 30,
  startedAt: '2026-01-02T03:00:00.000Z',
  endedAt: null,
  lastActivityAt: '2026-01-02T03:59:15.000Z',
  ...overrides,
});

const listed = (overrides: Partial<Session> = {}, stats: SessionStats = { cpuPercent: 12.34, memoryBytes: 150 * 1024 * 1024 }): ListedSession => ({
  ...session(overrides),
  stats,
});

describe('formatSessionTable', () => {
  it('shows id, task, attempt, agent, state, pid, CPU, memory, last activity and host', () => {
    const lines = formatSessionTable(
      [
        listed(),
        listed({ id: 5, taskNumber: 7, attempt: 2, agent: 'codex', state: 'waiting', lastActivityAt: '2026-01-02T02:00:00.000Z' }, { cpuPercent: 0, memoryBytes: 2048 }),
        listed({ id: 6, state: 'exited', exitCode: 1, pid: null, host: 'pty' }, { cpuPercent: null, memoryBytes: null }),
      ],
      { colors: plain, showProject: false, now },
    );
    expect(lines).toEqual([
      'SESSION  TASK  ATTEMPT  AGENT   STATE      PID    CPU      MEM  ACTIVITY  HOST',
      '      4     3        1  claude  working   4242  12.3%  150 MiB  45s ago   tmux',
      '      5     7        2  codex   waiting   4242   0.0%  2.0 KiB  2h ago    tmux',
      '      6     3        1  claude  exited 1     -      -        -  45s ago   pty',
    ]);
  });

  it('adds a PROJECT column for every project and escapes names', () => {
    const lines = formatSessionTable([listed({ project: 'web\x1b[2J', agent: 'a\u202e' })], { colors: plain, showProject: true, now });
    expect(lines[0]).toMatch(/^PROJECT\s+SESSION/);
    expect(lines[1]).toContain('web\\x1b[2J');
    for (const line of lines) expect(line).not.toMatch(/[\x00-\x1f\u202e]/);
  });
});

describe('formatSessionSummary', () => {
  it('names the session, agent, state, branch, worktree and host', () => {
    expect(formatSessionSummary(session({ state: 'starting' }), plain)).toEqual([
      'session  4 (attempt 1)',
      'agent    claude',
      'state    starting',
      'branch   vibe/3-fix-login',
      'worktree /data/worktrees/myapp/3-1',
      'host     tmux',
    ]);
  });

  it('says a pty session ends with the daemon', () => {
    expect(formatSessionSummary(session({ host: 'pty' }), plain).at(-1)).toBe('host     pty (ends with the daemon)');
  });
});
