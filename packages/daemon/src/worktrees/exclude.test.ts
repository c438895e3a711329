// Excluding vibe's per-attempt files: invisible to status and commits in the worktree, written once, .gitignore untouched.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXCLUDE_MARKER, excludeFromGit, isTracked } from './exclude.js';
import { createWorktree } from './worktree.js';
import { git, recordingGit, tempRepo } from './temp-repo.js';

async function attempt(files?: Record<string, string>): Promise<{ repo: string; wt: string }> {
  const { repo, data } = tempRepo(files);
  const wt = join(data, 'wt');
  await createWorktree({ repo, baseBranch: 'main', path: wt, branch: 'vibe/1-a' });
  return { repo, wt };
}

const PATTERNS = ['/CLAUDE.local.md', '/.claude/settings.local.json', '/.vibe/'];

describe('excludeFromGit', () => {
  it('keeps instruction and settings files out of git status and commits in the worktree', async () => {
    const { wt } = await attempt({ 'README.md': 'x\n', '.gitignore': 'node_modules/\n' });
    writeFileSync(join(wt, 'CLAUDE.local.md'), 'instructions\n');
    mkdirSync(join(wt, '.claude'));
    writeFileSync(join(wt, '.claude', 'settings.local.json'), '{}\n');
    mkdirSync(join(wt, '.vibe'));
    writeFileSync(join(wt, '.vibe', 'state'), 'x\n');
    expect(git(wt, 'status', '--porcelain')).not.toBe('');
    await excludeFromGit(wt, PATTERNS);
    expect(git(wt, 'status', '--porcelain')).toBe('');
    writeFileSync(join(wt, 'work.txt'), 'real work\n');
    git(wt, 'add', '-A');
    git(wt, 'commit', '-q', '-m', 'agent work');
    expect(git(wt, 'show', '--name-only', '--format=', 'HEAD')).toBe('work.txt');
    expect(readFileSync(join(wt, '.gitignore'), 'utf8')).toBe('node_modules/\n');
  });

  it('writes the marked block once, adding only new patterns, into the shared exclude file', async () => {
    const { repo, wt } = await attempt();
    const file = join(repo, '.git', 'info', 'exclude');
    writeFileSync(file, '# user line\n*.log\n');
    await excludeFromGit(wt, PATTERNS);
    await excludeFromGit(wt, PATTERNS);
    await excludeFromGit(wt, ['/AGENTS.override.md', '/CLAUDE.local.md']);
    expect(readFileSync(file, 'utf8')).toBe(
      ['# user line', '*.log', '', EXCLUDE_MARKER, ...PATTERNS, '/AGENTS.override.md', ''].join('\n'),
    );
  });

  it('is safe when several attempts of one repository exclude at once', async () => {
    const { repo, wt } = await attempt();
    await Promise.all(['/a', '/b', '/c', '/d'].map((p) => excludeFromGit(wt, [p])));
    const block = readFileSync(join(repo, '.git', 'info', 'exclude'), 'utf8').split(`${EXCLUDE_MARKER}\n`)[1];
    expect(block?.trim().split('\n').sort()).toEqual(['/a', '/b', '/c', '/d']);
  });

  it('asks git where the exclude file lives rather than guessing', async () => {
    const { wt } = await attempt();
    const { git: runner, calls } = recordingGit();
    await excludeFromGit(wt, PATTERNS, runner);
    expect(calls).toEqual([['rev-parse', '--git-path', 'info/exclude']]);
  });

  it.each(['CLAUDE.local.md', '/a\n/b', '/', '/trailing ', ''])('refuses the pattern %j', async (pattern) => {
    const { wt } = await attempt();
    await expect(excludeFromGit(wt, [pattern])).rejects.toMatchObject({ code: 'invalid_params' });
  });
});

describe('isTracked', () => {
  it('tells tracked files and directories from untracked ones, reading names literally', async () => {
    const { wt } = await attempt({ 'CLAUDE.local.md': 'team file\n', '.claude/settings.json': '{}\n', '*.md': 'odd name\n' });
    expect(await isTracked(wt, 'CLAUDE.local.md')).toBe(true);
    expect(await isTracked(wt, '.claude')).toBe(true);
    expect(await isTracked(wt, '.claude/settings.local.json')).toBe(false);
    expect(await isTracked(wt, 'AGENTS.override.md')).toBe(false);
    expect(await isTracked(wt, '*.md')).toBe(true);
    expect(await isTracked(wt, 'README*')).toBe(false);
  });

  it('refuses paths outside the worktree', async () => {
    const { wt } = await attempt();
    for (const rel of ['../x', '/etc/passwd', '']) await expect(isTracked(wt, rel)).rejects.toMatchObject({ code: 'invalid_params' });
  });
});
