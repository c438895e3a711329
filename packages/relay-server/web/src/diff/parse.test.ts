// The patch parser against real `git diff` output (the flags the daemon uses) and against garbage.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePatch, unquote, type PatchFile } from './parse.js';

const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, env: ENV, encoding: 'utf8' });

const numbered = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

let dir: string;
let patch: string;
let files: PatchFile[];
const byPath = (path: string): PatchFile => files.find((f) => (f.newPath ?? f.oldPath) === path)!;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-diff-parse-'));
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'long.ts'), numbered(1, 40));
  writeFileSync(join(dir, 'moved.py'), 'def greet(name):\n    return "hi " + name\n\n\nprint(greet("a"))\nprint(greet("b"))\n');
  writeFileSync(join(dir, 'gone.txt'), 'one\ntwo\n');
  writeFileSync(join(dir, 'tail.txt'), 'first\nlast');
  writeFileSync(join(dir, 'run.sh'), 'echo hi\n');
  writeFileSync(join(dir, 'sp ace.md'), '# Title\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');

  // Two hunks: a change near the top and an insertion near the end.
  writeFileSync(join(dir, 'long.ts'), numbered(1, 3) + 'changed 4\n' + numbered(5, 36) + 'inserted\n' + numbered(37, 40));
  git(dir, 'mv', 'moved.py', 'renamed.py');
  writeFileSync(join(dir, 'renamed.py'), 'def greet(name):\n    return "hello " + name\n\n\nprint(greet("a"))\nprint(greet("b"))\n');
  git(dir, 'rm', '-q', 'gone.txt');
  writeFileSync(join(dir, 'tail.txt'), 'first\nlast line');
  chmodSync(join(dir, 'run.sh'), 0o755);
  writeFileSync(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0, 255, 1, 2]));
  writeFileSync(join(dir, 'café.txt'), 'new\n');
  writeFileSync(join(dir, 'sp ace.md'), '# Title\n\nMore.\n');
  git(dir, 'add', '-A');
  patch = git(dir, 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '-M', '--cached', 'HEAD', '--');
  files = parsePatch(patch);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parsePatch on real git output', () => {
  it('finds one file per `diff --git` line, with its new path (old for a deletion)', () => {
    expect(files.map((f) => f.newPath ?? f.oldPath).sort()).toEqual(['café.txt', 'gone.txt', 'image.png', 'long.ts', 'renamed.py', 'run.sh', 'sp ace.md', 'tail.txt']);
  });

  it('numbers the lines of each hunk from its header', () => {
    const [first, second] = byPath('long.ts').hunks;
    expect(byPath('long.ts').hunks).toHaveLength(2);
    expect(first!.header).toBe('@@ -1,7 +1,7 @@');
    expect(first!.lines.map((l) => [l.kind, l.oldLine, l.newLine, l.text])).toEqual([
      ['context', 1, 1, 'line 1'],
      ['context', 2, 2, 'line 2'],
      ['context', 3, 3, 'line 3'],
      ['del', 4, null, 'line 4'],
      ['add', null, 4, 'changed 4'],
      ['context', 5, 5, 'line 5'],
      ['context', 6, 6, 'line 6'],
      ['context', 7, 7, 'line 7'],
    ]);
    const added = second!.lines.find((l) => l.kind === 'add')!;
    expect(added).toEqual({ kind: 'add', text: 'inserted', oldLine: null, newLine: 37 });
    expect(second!.lines.at(-1)).toEqual({ kind: 'context', text: 'line 39', oldLine: 39, newLine: 40 });
  });

  it('reads a rename with its old path and the changed line', () => {
    const file = byPath('renamed.py');
    expect(file).toMatchObject({ status: 'renamed', oldPath: 'moved.py', newPath: 'renamed.py', binary: false });
    expect(file.headers).toContain('rename from moved.py');
    const changed = file.hunks.flatMap((h) => h.lines).filter((l) => l.kind !== 'context');
    expect(changed.map((l) => [l.kind, l.text])).toEqual([
      ['del', '    return "hi " + name'],
      ['add', '    return "hello " + name'],
    ]);
  });

  it('marks a binary file and gives it no hunks', () => {
    expect(byPath('image.png')).toMatchObject({ status: 'added', oldPath: null, binary: true, hunks: [] });
  });

  it('reads a deletion as every old line removed', () => {
    const file = byPath('gone.txt');
    expect(file).toMatchObject({ status: 'deleted', oldPath: 'gone.txt', newPath: null });
    expect(file.hunks[0]!.lines).toEqual([
      { kind: 'del', text: 'one', oldLine: 1, newLine: null },
      { kind: 'del', text: 'two', oldLine: 2, newLine: null },
    ]);
  });

  it('keeps "No newline at end of file" as a meta line after the line it is about', () => {
    const lines = byPath('tail.txt').hunks[0]!.lines;
    expect(lines.map((l) => [l.kind, l.text])).toEqual([
      ['context', 'first'],
      ['del', 'last'],
      ['meta', '\\ No newline at end of file'],
      ['add', 'last line'],
      ['meta', '\\ No newline at end of file'],
    ]);
  });

  it('reads a mode change as a modified file with headers and no hunks', () => {
    const file = byPath('run.sh');
    expect(file).toMatchObject({ status: 'modified', oldPath: 'run.sh', newPath: 'run.sh', hunks: [] });
    expect(file.headers).toEqual(['old mode 100644', 'new mode 100755']);
  });

  it('decodes quoted non-ASCII names and keeps names with spaces whole', () => {
    expect(patch).toContain('"b/caf\\303\\251.txt"');
    expect(byPath('café.txt')).toMatchObject({ status: 'added', newPath: 'café.txt' });
    expect(byPath('sp ace.md')).toMatchObject({ status: 'modified', oldPath: 'sp ace.md', newPath: 'sp ace.md' });
  });

  it('keeps the lines a patch cut at the size limit still has', () => {
    const cut = patch.slice(0, patch.indexOf('changed 4') + 4);
    const file = parsePatch(cut).at(-1)!;
    expect(file.newPath).toBe('long.ts');
    expect(file.hunks[0]!.lines.at(-1)).toEqual({ kind: 'add', text: 'chan', oldLine: null, newLine: 4 });
  });
});

describe('parsePatch on anything else', () => {
  it('returns nothing for an empty patch', () => {
    expect(parsePatch('')).toEqual([]);
  });

  it('keeps text before the first file and after a hunk as meta, not as changes', () => {
    const [preamble, file] = parsePatch('hello there\ndiff --git a/x b/x\n@@ -1 +1 @@\n-a\n+b\n-extra\nnot a diff line\n');
    expect(preamble).toMatchObject({ oldPath: null, newPath: null, headers: ['hello there'], hunks: [] });
    expect(file!.hunks[0]!.lines.map((l) => l.kind)).toEqual(['del', 'add', 'meta', 'meta']);
  });

  it('reads a `---` line inside a hunk as a deleted line, not a file header', () => {
    const [file] = parsePatch('diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1 @@\n--- a/y\n context\n');
    expect(file!.hunks[0]!.lines.map((l) => [l.kind, l.text])).toEqual([
      ['del', '-- a/y'],
      ['context', 'context'],
    ]);
  });

  it('splits a plain `diff -u` of several files at each `---` after a hunk', () => {
    const result = parsePatch('--- a/one\n+++ b/one\n@@ -1 +1 @@\n-1\n+2\n--- a/two\n+++ b/two\n@@ -1 +1 @@\n-3\n+4\n');
    expect(result.map((f) => f.newPath)).toEqual(['one', 'two']);
  });

  it('never throws, whatever the bytes', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = ['diff --git ', '"a/\\', '\\377', '@@ -', '1,', '+', '-', ' ', '\n', '\\ No newline', 'rename from ', '"', 'b/', '\r', '\u0000', '9999999999999999999'];
    for (let round = 0; round < 2000; round++) {
      const text = Array.from({ length: 30 }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      expect(() => parsePatch(text)).not.toThrow();
    }
  });
});

describe('unquote', () => {
  it('decodes C-style escapes and octal UTF-8 bytes', () => {
    expect(unquote('"a\\tb\\"c\\\\d\\303\\251"')).toBe('a\tb"c\\dé');
  });

  it('leaves an unquoted name alone and survives a quote that never closes', () => {
    expect(unquote('plain name')).toBe('plain name');
    expect(unquote('"open\\')).toBe('open');
  });
});
