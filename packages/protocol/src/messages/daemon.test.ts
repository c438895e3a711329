// Tests for the daemon status schema's agent list (@since 1.4), which a "create task" form offers.
import { describe, expect, it } from 'vitest';
import { DaemonStatusResult } from './daemon.js';

const status = {
  pid: 1,
  version: '1',
  protocol: '1.4',
  startedAt: '2026-01-01T00:00:00.000Z',
  uptimeSeconds: 1,
  socketPath: '/run/vibe/daemon.sock',
  paths: { home: null, configFile: '/c', data: '/d', database: '/d/vibe.db', logFile: '/l', runtime: '/run/vibe' },
  projects: [],
  tasks: { todo: 0, in_progress: 0, in_review: 0, done: 0, cancelled: 0 },
};

describe('DaemonStatusResult agents (@since 1.4)', () => {
  it('lists agents with whether they are built in and installed, and the default', () => {
    const agents = [
      { name: 'claude', builtin: true, available: false },
      { name: 'my-agent', builtin: false, available: true },
    ];
    expect(DaemonStatusResult.parse({ ...status, agents, defaultAgent: 'claude' })).toMatchObject({ agents, defaultAgent: 'claude' });
  });

  it('refuses an agent entry without its flags or with a name no task could give', () => {
    expect(DaemonStatusResult.safeParse({ ...status, agents: [{ name: 'claude', builtin: true }] }).success).toBe(false);
    expect(DaemonStatusResult.safeParse({ ...status, agents: [{ name: 'Bad Name', builtin: false, available: true }] }).success).toBe(false);
  });

  it('lets an older daemon leave both out', () => {
    expect(DaemonStatusResult.safeParse(status).success).toBe(true);
  });
});
