// `vibe task merge` options: at most one of --squash, --rebase and --merge; a message within the limit.
import { LIMITS } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { checkMessage, mergeMode } from './merge-mode.js';

describe('mergeMode', () => {
  it("leaves the mode to the daemon's default when no flag is given", () => {
    expect(mergeMode({})).toBeUndefined();
  });

  it.each(['squash', 'rebase', 'merge'] as const)('takes --%s alone', (mode) => {
    expect(mergeMode({ [mode]: true })).toBe(mode);
  });

  it('refuses two modes at once as a usage error naming both', () => {
    expect(() => mergeMode({ squash: true, merge: true })).toThrow(UsageError);
    expect(() => mergeMode({ squash: true, rebase: true, merge: true })).toThrow('--squash, --rebase, --merge were given together');
  });
});

describe('checkMessage', () => {
  it('accepts a message and refuses a blank or over-long one', () => {
    expect(checkMessage('Add the feature')).toBe('Add the feature');
    expect(() => checkMessage('  ')).toThrow(UsageError);
    expect(() => checkMessage('x'.repeat(LIMITS.descriptionMax + 1))).toThrow(UsageError);
  });
});
