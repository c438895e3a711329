// Client-side title and description limits, counted in code points as the protocol's schemas count them.
import { LIMITS } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { checkDescription, checkTitle } from './task-text.js';

describe('checkTitle', () => {
  it('refuses a blank title', () => {
    expect(() => checkTitle('  ')).toThrow(new UsageError('the task title must not be empty'));
  });

  it('counts code points, not UTF-16 units: the limit in emoji passes, one more fails', () => {
    expect(checkTitle('😀'.repeat(LIMITS.titleMax))).toHaveLength(LIMITS.titleMax * 2);
    expect(() => checkTitle('😀'.repeat(LIMITS.titleMax + 1))).toThrow(new UsageError(`title is longer than ${LIMITS.titleMax} characters`));
    expect(() => checkTitle('x'.repeat(LIMITS.titleMax + 1))).toThrow(UsageError);
  });
});

describe('checkDescription', () => {
  it('accepts the limit and refuses one more, however the text is made up', () => {
    expect(checkDescription('')).toBe('');
    expect(checkDescription('é'.repeat(LIMITS.descriptionMax))).toHaveLength(LIMITS.descriptionMax);
    expect(() => checkDescription(`${'a'.repeat(LIMITS.descriptionMax - 1)}😀😀`)).toThrow(`description is longer than ${LIMITS.descriptionMax} characters`);
    expect(() => checkDescription('a'.repeat(3 * LIMITS.descriptionMax))).toThrow(UsageError);
  });
});
