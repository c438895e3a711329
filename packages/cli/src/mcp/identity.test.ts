// Which task `vibe mcp` speaks for, read from the variables the daemon sets, and how a follow-up says who made it.
import { describe, expect, it } from 'vitest';
import { identityFromEnv, projectSelector } from './identity.js';
import { followUpDescription } from './tools.js';

describe('identityFromEnv', () => {
  it('reads the project, task, attempt and socket the daemon put in the session', () => {
    const env = { VIBE_PROJECT: 'my app', VIBE_TASK: '12', VIBE_ATTEMPT: '2', VIBE_SOCKET: '/run/vibe/daemon.sock' };
    expect(identityFromEnv(env)).toEqual({ project: 'my app', task: 12, attempt: 2, socket: '/run/vibe/daemon.sock' });
  });

  it('knows no task outside a session, and ignores numbers and sockets that are not', () => {
    expect(identityFromEnv({})).toEqual({ project: undefined, task: undefined, attempt: undefined, socket: undefined });
    for (const task of ['0', '-1', '1.5', '3x', '', ' 3', '12345678901']) expect(identityFromEnv({ VIBE_TASK: task }).task, task).toBeUndefined();
    expect(identityFromEnv({ VIBE_SOCKET: 'relative.sock' }).socket).toBeUndefined();
  });
});

describe('projectSelector', () => {
  it('names the project when the session did, else sends the directory for the daemon to resolve', () => {
    expect(projectSelector(identityFromEnv({ VIBE_PROJECT: 'app' }), '/src/app')).toEqual({ project: 'app' });
    expect(projectSelector(identityFromEnv({}), '/src/app/lib')).toEqual({ cwd: '/src/app/lib' });
  });
});

describe('followUpDescription', () => {
  it('ends with the task that created it, after the description if there is one', () => {
    expect(followUpDescription('Say what 401 means.\n\n', 2)).toBe('Say what 401 means.\n\n(Created by the agent of task 2 through vibe mcp.)');
    expect(followUpDescription(undefined, 2)).toBe('(Created by the agent of task 2 through vibe mcp.)');
    expect(followUpDescription('  ', 7)).toBe('(Created by the agent of task 7 through vibe mcp.)');
  });
});
