// The diff as a terminal shows it: git's colours on, exactly git's text off, escape sequences made visible.
import type { DiffFile } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { formatDiffStat, formatNameOnly, formatPatch } from './diff-format.js';
import { palette } from './terminal.js';

const PATCH = [
  'diff --git a/src/app.ts b/src/app.ts',
  'index 1234567..89abcde 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,3 +1,3 @@ export function main() {',
  ' const a = 1;',
  '-const b = 2;',
  '+const b = 3;',
  '--- not a header: a deleted line starting with two dashes',
  '\\ No newline at end of file',
  '',
].join('\n');

const ESC = '\x1b';

describe('formatPatch', () => {
  it('returns the patch exactly as given when colours are off', () => {
    expect(formatPatch(PATCH, palette(false))).toBe(PATCH);
  });

  it('colours headers bold, hunk ranges cyan, additions green and deletions red', () => {
    const lines = formatPatch(PATCH, palette(true)).split('\n');
    expect(lines[0]).toBe(`${ESC}[1mdiff --git a/src/app.ts b/src/app.ts${ESC}[22m`);
    expect(lines[2]).toBe(`${ESC}[1m--- a/src/app.ts${ESC}[22m`);
    expect(lines[3]).toBe(`${ESC}[1m+++ b/src/app.ts${ESC}[22m`);
    expect(lines[4]).toBe(`${ESC}[36m@@ -1,3 +1,3 @@${ESC}[39m export function main() {`);
    expect(lines[5]).toBe(' const a = 1;');
    expect(lines[6]).toBe(`${ESC}[31m-const b = 2;${ESC}[39m`);
    expect(lines[7]).toBe(`${ESC}[32m+const b = 3;${ESC}[39m`);
    // Inside a hunk, "---" is a deleted line, not a file header.
    expect(lines[8]).toBe(`${ESC}[31m--- not a header: a deleted line starting with two dashes${ESC}[39m`);
    expect(lines[9]).toBe('\\ No newline at end of file');
    expect(lines[10]).toBe('');
  });

  it('starts a new file header after a hunk', () => {
    const two = `${PATCH}diff --git a/b b/b\nnew file mode 100644\n`;
    const lines = formatPatch(two, palette(true)).split('\n');
    expect(lines[10]).toBe(`${ESC}[1mdiff --git a/b b/b${ESC}[22m`);
    expect(lines[11]).toBe(`${ESC}[1mnew file mode 100644${ESC}[22m`);
  });

  it('makes escape sequences in file contents and paths visible, keeping tabs and line breaks', () => {
    const patch = 'diff --git a/x\x1b]0;pwned\x07 b/x\n@@ -0,0 +1,2 @@\n+\tindented\x1b[2J\n+crlf line\r\n';
    const plain = formatPatch(patch, palette(false));
    expect(plain).toBe('diff --git a/x\\x1b]0;pwned\\x07 b/x\n@@ -0,0 +1,2 @@\n+\tindented\\x1b[2J\n+crlf line\\r\n');
    expect(formatPatch(patch, palette(true))).not.toContain('\x1b]');
    expect(formatPatch(patch, palette(true))).not.toContain('\x1b[2J');
  });
});

const file = (path: string, additions: number, deletions: number, extra: Partial<DiffFile> = {}): DiffFile => ({
  path,
  oldPath: null,
  status: 'modified',
  additions,
  deletions,
  binary: false,
  ...extra,
});

describe('formatDiffStat', () => {
  it('lists each file with its counts and a bar, then the totals', () => {
    const lines = formatDiffStat([file('src/app.ts', 3, 1), file('README.md', 1, 0, { status: 'added' })], { colors: palette(false) });
    expect(lines).toEqual([' src/app.ts | +3 -1 +++-', ' README.md  | +1 -0 +', ' 2 files changed, 4 insertions(+), 1 deletion(-)']);
  });

  it('scales the bars to the width and keeps at least one mark for any change', () => {
    const lines = formatDiffStat([file('big', 400, 200), file('small', 1, 0)], { colors: palette(false), width: 40 });
    const bar = (line: string): string => line.split(' ').at(-1)!;
    expect(bar(lines[0]!)).toMatch(/^\++-+$/);
    expect(lines[0]!.length).toBeLessThanOrEqual(40);
    expect(bar(lines[1]!)).toBe('+');
  });

  it('shows binary files and renames, and escapes paths', () => {
    const lines = formatDiffStat([file('logo.png', 0, 0, { binary: true }), file('new\x1b[31m.ts', 0, 0, { oldPath: 'old.ts', status: 'renamed' })], {
      colors: palette(false),
    });
    expect(lines).toEqual([' logo.png                | binary', ' old.ts → new\\x1b[31m.ts |  +0 -0', ' 2 files changed, 0 insertions(+), 0 deletions(-)']);
  });

  it('colours the bar green and red on a terminal', () => {
    const [line] = formatDiffStat([file('a', 1, 1)], { colors: palette(true) });
    expect(line).toBe(` a | +1 -1 ${ESC}[32m+${ESC}[39m${ESC}[31m-${ESC}[39m`);
  });
});

describe('formatNameOnly', () => {
  it('prints one escaped path per file', () => {
    expect(formatNameOnly([file('a.ts', 1, 0), file('b\nc.ts', 0, 1)])).toEqual(['a.ts', 'b\\nc.ts']);
  });
});
