// Split-layout pairing: what stands beside what when old and new are shown side by side.
import { describe, expect, it } from 'vitest';
import { parsePatch } from './parse.js';
import { splitRows } from './rows.js';

/** Each row as `left | right`, a cell as its text, an empty cell as `·`. */
const sides = (patch: string): string[] =>
  splitRows(parsePatch(patch)[0]!.hunks[0]!).map(([left, right]) => `${left?.text ?? '·'} | ${right?.text ?? '·'}`);

describe('splitRows', () => {
  it('puts a context line on both sides', () => {
    expect(sides('@@ -1 +1 @@\n same\n')).toEqual(['same | same']);
  });

  it('pairs a run of deletions with the additions after it, leaving the longer run beside empty cells', () => {
    expect(sides('@@ -1,4 +1,3 @@\n a\n-b\n-c\n-d\n+B\n+C\n')).toEqual(['a | a', 'b | B', 'c | C', 'd | ·']);
    expect(sides('@@ -1,1 +1,3 @@\n-x\n+X\n+Y\n+Z\n')).toEqual(['x | X', '· | Y', '· | Z']);
  });

  it('does not pair a deletion with additions that came before it', () => {
    expect(sides('@@ -1,1 +1,1 @@\n+new\n-old\n')).toEqual(['· | new', 'old | ·']);
  });

  it('keeps a "No newline" note on the side of the line it is about', () => {
    expect(sides('@@ -1 +1 @@\n-last\n\\ No newline at end of file\n+last line\n\\ No newline at end of file\n')).toEqual([
      'last | last line',
      '\\ No newline at end of file | \\ No newline at end of file',
    ]);
    expect(sides('@@ -1 +1,2 @@\n x\n+y\n\\ No newline at end of file\n')).toEqual(['x | x', '· | y', '· | \\ No newline at end of file']);
  });

  it('gives every line of the hunk a row', () => {
    const hunk = parsePatch('@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n-d\n-e\n+E\n')[0]!.hunks[0]!;
    const shown = splitRows(hunk).flatMap(([left, right]) => (left === right ? [left] : [left, right])).filter((line) => line !== null);
    expect(shown).toEqual(expect.arrayContaining(hunk.lines));
    expect(shown).toHaveLength(hunk.lines.length);
  });
});
