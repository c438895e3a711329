// Naming a session on the command line: by task, by `s<N>`, or by --session.
import { describe, expect, it } from 'vitest';
import { sessionTarget, targetName } from './session-ref.js';

describe('sessionTarget', () => {
  it('reads a task id as the task (its newest attempt), with the current directory', () => {
    expect(sessionTarget('3', {})).toEqual({ number: 3, cwd: process.cwd() });
    expect(sessionTarget('web#3', {})).toEqual({ number: 3, project: 'web', cwd: process.cwd() });
    expect(sessionTarget('#3', { project: 'web' })).toEqual({ number: 3, project: 'web', cwd: process.cwd() });
  });

  it('reads s<N> and --session N as a session id', () => {
    expect(sessionTarget('s4', {})).toEqual({ session: 4 });
    expect(sessionTarget('S12', {})).toEqual({ session: 12 });
    expect(sessionTarget(undefined, { session: '7' })).toEqual({ session: 7 });
  });

  it.each([
    [undefined, {}, 'name a task (3, #3 or PROJECT#3) or a session (s4, or --session 4)'],
    ['3', { session: '4' }, 'give a task id or --session, not both'],
    ['s0', {}, 'invalid session id "s0": expected a number like 4 (or s4 in place of a task id)'],
    ['sx', {}, 'invalid session id "sx": expected a number like 4 (or s4 in place of a task id)'],
    [undefined, { session: 'four' }, 'invalid session id "four": expected a number like 4 (or s4 in place of a task id)'],
    ['s4', { project: 'web' }, '--project does not apply to a session id ("s4")'],
    ['abc', {}, 'invalid task id "abc": expected a number like 3, #3 or PROJECT#3'],
  ])('refuses %j with %j', (id, options, message) => {
    expect(() => sessionTarget(id, options)).toThrow(message);
  });
});

describe('targetName', () => {
  it('names sessions and tasks for messages', () => {
    expect(targetName({ session: 4 })).toBe('session 4');
    expect(targetName({ number: 3, cwd: '/' })).toBe('task 3');
    expect(targetName({ number: 3, project: 'web', cwd: '/' })).toBe('task web#3');
  });
});
