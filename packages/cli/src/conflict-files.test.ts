// A conflict from the daemon that names files reads as its message, then one line per file.
import { ProtocolError } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { conflictFiles, withConflictFiles } from './conflict-files.js';
import { describeError } from './errors.js';

describe('withConflictFiles', () => {
  it('lists the files under the message, escaped, and keeps the code (exit 1)', () => {
    const error = new ProtocolError('conflict', 'merge conflicts in 2 files — nothing was changed', { files: ['README.md', 'evil\n\x1b[2J.ts'] });
    const report = describeError(withConflictFiles(error), { debug: false });
    expect(report).toEqual({
      exitCode: 1,
      lines: ['vibe: merge conflicts in 2 files — nothing was changed', '  README.md', '  evil\\n\\x1b[2J.ts'],
    });
  });

  it('adds a hint last when given one', () => {
    const error = new ProtocolError('conflict', 'conflicts', { files: ['a'] });
    expect((withConflictFiles(error, 'try --ask-agent') as Error).message).toBe('conflicts\n  a\ntry --ask-agent');
  });

  it('leaves other errors, and conflicts without files, as they were', () => {
    const noFiles = new ProtocolError('conflict', 'the base moved');
    const notFound = new ProtocolError('not_found', 'no task 9', { files: ['a'] });
    expect(withConflictFiles(noFiles)).toBe(noFiles);
    expect(withConflictFiles(notFound)).toBe(notFound);
    expect(conflictFiles(new ProtocolError('conflict', 'x', { files: [1] }))).toBeUndefined();
  });
});
