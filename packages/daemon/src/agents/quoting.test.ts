// Quoting checked against the real parsers where they run here: sh for hook commands, git for ignore patterns.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ignorePattern, shCommand, shQuote, tomlArray, tomlString } from './quoting.js';
import { git, tempDir, tempRepo } from '../worktrees/temp-repo.js';

const NASTY = ["it's", '$(touch CANARY)', '`touch CANARY`', 'a "b" \\c', '*', '~', 'line\nbreak', '; touch CANARY', '', '-n', '日本 ✓'];

describe('shCommand', () => {
  it('gives sh back exactly the argv, running nothing', () => {
    const dir = tempDir();
    const canary = join(dir, 'canary');
    const args = NASTY.map((s) => s.replace('CANARY', canary));
    const out = execFileSync('/bin/sh', ['-c', shCommand(['printf', '%s\\0', ...args])], { cwd: dir, encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(args);
    expect(existsSync(canary)).toBe(false);
  });

  it('refuses NUL, which no argv can hold', () => {
    expect(() => shQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('tomlString', () => {
  it('escapes what TOML basic strings require and keeps the rest', () => {
    expect(tomlString('/a "b"\\c')).toBe('"/a \\"b\\"\\\\c"');
    expect(tomlString('tab\there\u007f')).toBe('"tab\\u0009here\\u007f"');
    expect(tomlString('é ✓')).toBe('"é ✓"');
  });

  it('round-trips through a JSON parser (TOML basic-string escapes are a subset of JSON)', () => {
    for (const s of NASTY) expect(JSON.parse(tomlString(s))).toBe(s);
    expect(JSON.parse(tomlArray(NASTY))).toEqual(NASTY);
  });

  it('refuses lone surrogates', () => {
    expect(() => tomlString('\ud800')).toThrow(/surrogate/);
  });
});

describe('ignorePattern', () => {
  it('matches exactly the named file for git, glob characters included', () => {
    const { repo } = tempRepo();
    for (const name of ['[x].md', 'a*b.md', 'q?.md', 'ab.md', 'axb.md', 'x.md']) writeFileSync(join(repo, name), 'x\n');
    writeFileSync(join(repo, '.git', 'info', 'exclude'), `${['[x].md', 'a*b.md', 'q?.md'].map(ignorePattern).join('\n')}\n`);
    const untracked = git(repo, 'status', '--porcelain', '--untracked-files=all').split('\n').map((l) => l.slice(3)).sort();
    expect(untracked).toEqual(['ab.md', 'axb.md', 'x.md']);
  });
});
