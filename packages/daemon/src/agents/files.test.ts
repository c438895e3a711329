// Writing agent files into a worktree: nested paths work, symlinks out of the worktree are never followed.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeRelativePath, writeAgentFiles } from './files.js';
import { tempDir } from '../worktrees/temp-repo.js';

describe('writeAgentFiles', () => {
  it('writes nested files, creating directories and replacing an earlier copy', async () => {
    const wt = tempDir();
    writeFileSync(join(wt, 'CLAUDE.local.md'), 'old\n');
    await writeAgentFiles(wt, [
      { path: 'CLAUDE.local.md', content: 'new\n' },
      { path: '.claude/settings.local.json', content: '{}\n' },
    ]);
    expect(readFileSync(join(wt, 'CLAUDE.local.md'), 'utf8')).toBe('new\n');
    expect(readFileSync(join(wt, '.claude', 'settings.local.json'), 'utf8')).toBe('{}\n');
  });

  it('refuses a symlinked directory on the way instead of writing through it', async () => {
    const wt = tempDir();
    const outside = tempDir();
    symlinkSync(outside, join(wt, '.claude'));
    await expect(writeAgentFiles(wt, [{ path: '.claude/settings.local.json', content: '{}' }])).rejects.toMatchObject({ code: 'conflict' });
    expect(existsSync(join(outside, 'settings.local.json'))).toBe(false);
  });

  it('refuses a symlinked file instead of writing to its target', async () => {
    const wt = tempDir();
    const target = join(tempDir(), 'victim');
    writeFileSync(target, 'keep\n');
    symlinkSync(target, join(wt, 'CLAUDE.local.md'));
    await expect(writeAgentFiles(wt, [{ path: 'CLAUDE.local.md', content: 'x' }])).rejects.toMatchObject({ code: 'conflict' });
    expect(readFileSync(target, 'utf8')).toBe('keep\n');
  });

  it('refuses paths that leave the worktree or enter .git', async () => {
    const wt = tempDir();
    mkdirSync(join(wt, '.git'));
    for (const path of ['../x', '/tmp/x', '.git/hooks/post-checkout', 'a/../../x', '']) {
      await expect(writeAgentFiles(wt, [{ path, content: 'x' }])).rejects.toMatchObject({ code: 'invalid_params' });
    }
    expect(existsSync(join(wt, '.git', 'hooks'))).toBe(false);
  });
});

describe('safeRelativePath', () => {
  it('normalises harmless paths', () => {
    expect(safeRelativePath('./docs//AGENTS.md')).toBe('docs/AGENTS.md');
    expect(safeRelativePath('a/./b.md')).toBe('a/b.md');
  });
});
