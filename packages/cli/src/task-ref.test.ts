// Task ids as users type them (`3`, `#3`, `PROJECT#3`) and the request selector built from them.
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { parseTaskId, taskRef } from './task-ref.js';

describe('parseTaskId', () => {
  it('reads a bare number', () => {
    expect(parseTaskId('3')).toEqual({ number: 3 });
  });

  it('reads #N as the number with no project', () => {
    expect(parseTaskId('#42')).toEqual({ number: 42 });
  });

  it('reads PROJECT#N', () => {
    expect(parseTaskId('myapp#7')).toEqual({ number: 7, project: 'myapp' });
  });

  it('splits at the last #, so project names may look odd but never contain the separator', () => {
    expect(parseTaskId('my app#12')).toEqual({ number: 12, project: 'my app' });
    expect(() => parseTaskId('a#b#3')).not.toThrow();
    expect(parseTaskId('a#b#3')).toEqual({ number: 3, project: 'a#b' });
  });

  it.each(['', '#', 'abc', '0', '#0', '-1', '3.5', '1e3', '03', ' 3', '3 ', 'myapp#', 'myapp#x', '99999999999999999999', ' app#3'])(
    'rejects %j as a usage error',
    (text) => {
      expect(() => parseTaskId(text)).toThrow(UsageError);
    },
  );

  it('names the accepted forms in the error', () => {
    expect(() => parseTaskId('abc')).toThrow(/3, #3 or PROJECT#3/);
  });
});

describe('taskRef', () => {
  it('sends the cwd so the daemon can find the project', () => {
    expect(taskRef('3', {})).toEqual({ number: 3, cwd: process.cwd() });
  });

  it('takes the project from --project', () => {
    expect(taskRef('#3', { project: 'web' })).toEqual({ number: 3, project: 'web', cwd: process.cwd() });
  });

  it('takes the project from the id', () => {
    expect(taskRef('web#3', {})).toMatchObject({ number: 3, project: 'web' });
  });

  it('accepts the same project twice', () => {
    expect(taskRef('web#3', { project: 'web' })).toMatchObject({ project: 'web' });
  });

  it('refuses an id and --project that disagree', () => {
    expect(() => taskRef('web#3', { project: 'api' })).toThrow(UsageError);
  });
});
