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
  machine: {
    cpus: 4,
    loadAverage: [0.52, 0.4, 0.305],
    memoryTotalBytes: 8 * 1024 ** 3,
    memoryFreeBytes: 3.1 * 1024 ** 3,
    diskTotalBytes: 100 * 1024 ** 3,
    diskFreeBytes: 40.4 * 1024 ** 3,
    uptimeSeconds: 273_600,
  },
  sessionHost: 'tmux',
};

describe('formatDaemonStatus', () => {
  it('shows pid, version, humanised uptime, socket, the session host, the machine and a count table with totals', () => {
    const lines = formatDaemonStatus(status, palette(false));
    expect(lines.slice(0, 9)).toEqual([
      'daemon   running (pid 4242, version 0.1.0, protocol 1.0)',
      'uptime   3h 12m (since 2026-01-02T03:04:05.000Z)',
      'socket   /run/user/1000/vibe/daemon.sock',
      'data     /d',
      'sessions tmux (agents keep running across daemon restarts)',
      'machine  4 CPUs, load 0.52 0.40 0.30, up 3d 4h',
      'memory   3.1 GiB free of 8.0 GiB',
      'disk     40 GiB free of 100 GiB',
      '',
    ]);
    expect(lines.slice(9)).toEqual([
      'PROJECT     TODO  IN_PROGRESS  IN_REVIEW  DONE  CANCELLED  TOTAL  BRANCH   PATH',
      'myapp          2            1          0     0          0      3  main     /src/myapp',
      'web\\x1b[2J     0            0          0     3          0      3  develop  /src/web',
      'total          2            1          0     3          0      6',
    ]);
  });

  it("shows this vibe's version under the daemon's, and what to do when they differ", () => {
    expect(formatDaemonStatus(status, palette(false), '0.1.0').slice(0, 2)).toEqual([
      'daemon   running (pid 4242, version 0.1.0, protocol 1.0)',
      'vibe     0.1.0 (this command)',
    ]);
    expect(formatDaemonStatus(status, palette(false), '0.2.0')[1]).toBe(
      'vibe     0.2.0 (this command) — the running daemon is vibe 0.1.0, this vibe is 0.2.0: `vibe up` replaces the daemon in place (every session keeps running)',
    );
    expect(formatDaemonStatus(status, palette(false), '0.0.9')[1]).toContain('upgrade this vibe (npm i -g @vibe/cli)');
  });

  it('warns that pty sessions will not survive a daemon restart', () => {
    const lines = formatDaemonStatus({ ...status, sessionHost: 'pty' }, palette(false));
    expect(lines).toContain('sessions pty (tmux not found: sessions will not survive a daemon restart)');
  });

  it('says the disk is unknown when the daemon could not measure it', () => {
    const lines = formatDaemonStatus({ ...status, machine: { ...status.machine!, diskFreeBytes: null, diskTotalBytes: null } }, palette(false));
    expect(lines).toContain('disk     unknown');
  });

  it('leaves out the machine and session host when an older daemon does not send them', () => {
    const lines = formatDaemonStatus({ ...status, machine: undefined, sessionHost: undefined }, palette(false));
    expect(lines[4]).toBe('');
  });

  it('says how to add a project when there is none', () => {
    const lines = formatDaemonStatus({ ...status, projects: [], tasks: counts(0, 0) }, palette(false));
    expect(lines.at(-1)).toBe('no projects yet — run `vibe up` inside a git repository');
  });
});
