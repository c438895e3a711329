// Parsing task statuses as users type them, alone and as lists.
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { parseStatus, parseStatusList } from './statuses.js';

describe('parseStatus', () => {
  it('accepts every status as written on the wire', () => {
    for (const status of ['todo', 'in_progress', 'in_review', 'done', 'cancelled']) expect(parseStatus(status)).toBe(status);
  });

  it('accepts dashes for underscores and any case', () => {
    expect(parseStatus('in-progress')).toBe('in_progress');
    expect(parseStatus('In-Review')).toBe('in_review');
    expect(parseStatus('DONE')).toBe('done');
  });

  it('rejects an unknown status with a usage error that lists the valid ones', () => {
    expect(() => parseStatus('doing')).toThrow(UsageError);
    expect(() => parseStatus('doing')).toThrow('unknown status "doing": use one of todo, in_progress, in_review, done, cancelled');
  });
});

describe('parseStatusList', () => {
  it('takes repeated and comma-separated values, without duplicates', () => {
    expect(parseStatusList(['todo,in-progress', 'done', 'todo'])).toEqual(['todo', 'in_progress', 'done']);
  });

  it('ignores empty pieces', () => {
    expect(parseStatusList(['todo,', ',done'])).toEqual(['todo', 'done']);
  });

  it('is empty when no status was given', () => {
    expect(parseStatusList([])).toEqual([]);
  });

  it('fails on any unknown piece', () => {
    expect(() => parseStatusList(['todo,nope'])).toThrow(/unknown status "nope"/);
  });
});
