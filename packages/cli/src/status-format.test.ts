// How `vibe status` prints the daemon's status for people.
import type { DaemonStatus } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { formatDaemonStatus } from './status-format.js';
import { palette } from './terminal.js';

const counts = (todo: number, inProgress: number, done = 0) => ({ todo, in_progress: inProgress, in_review: 0, done, cancelled: 0 });

const status: DaemonStatus = {
  pid: 4242,
  version: '0.1.0',
  protocol: '1.0',
  startedAt: '2026-01-02T03:04:05.000Z',
  uptimeSeconds: 11_520,
  socketPath: '/run/user/1000/vibe/daemon.sock',
  paths: { home: null, configFile: '/c/config.json', data: '/d', database: '/d/vibe.db', logFile: '/l/daemon.log', runtime: '/run/user/1000/vibe' },
  projects: [
    { name: 'myapp', path: '/src/myapp', baseBranch: 'main', tasks: counts(2, 1) },
    { name: 'web\x1b[2J', path: '/src/web', baseBranch: 'develop', tasks: counts(0, 0, 3) },
  ],
  tasks: counts(2, 1, 3),
};

describe('formatDaemonStatus', () => {
  it('shows pid, version, humanised uptime, socket and a count table with totals', () => {
    const lines = formatDaemonStatus(status, palette(false));
    expect(lines.slice(0, 4)).toEqual([
      'daemon   running (pid 4242, version 0.1.0, protocol 1.0)',
      'uptime   3h 12m (since 2026-01-02T03:04:05.000Z)',
      'socket   /run/user/1000/vibe/daemon.sock',
      'data     /d',
    ]);
    expect(lines.slice(5)).toEqual([
      'PROJECT     TODO  IN_PROGRESS  IN_REVIEW  DONE  CANCELLED  TOTAL  BRANCH   PATH',
      'myapp          2            1          0     0          0      3  main     /src/myapp',
      'web\\x1b[2J     0            0          0     3          0      3  develop  /src/web',
      'total          2            1          0     3          0      6',
    ]);
  });

  it('says how to add a project when there is none', () => {
    const lines = formatDaemonStatus({ ...status, projects: [], tasks: counts(0, 0) }, palette(false));
    expect(lines.at(-1)).toBe('no projects yet — run `vibe up` inside a git repository');
  });
});
