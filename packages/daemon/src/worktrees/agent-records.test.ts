// Forgetting a removed worktree in Gemini CLI's files under a temp HOME: its entries go, every other byte
// stays, the file keeps its mode and kind, and a file vibe cannot read is left alone with a log line.
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../logger.js';
import { forgetWorktreeRecords, geminiRecordFiles } from './agent-records.js';
import { tempDir, tempRepo } from './temp-repo.js';
import { createWorktree, removeWorktree } from './worktree.js';

/** Gemini writes both files with JSON.stringify(value, null, 2) and no final newline. */
const geminiJson = (value: unknown): string => JSON.stringify(value, null, 2);
const HOOK_KEYS = ['vibe-working:sh -c x', 'vibe-idle:sh -c y'];

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (msg: string, fields?: Record<string, unknown>) => lines.push(`${msg} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: log, info: log, warn: log, error: log };
}

function geminiHome(files: { hooks?: string; folders?: string }): { home: string; hooks: string; folders: string } {
  const home = tempDir('vibe-home-');
  mkdirSync(join(home, '.gemini'));
  const hooks = join(home, '.gemini', 'trusted_hooks.json');
  const folders = join(home, '.gemini', 'trustedFolders.json');
  if (files.hooks !== undefined) writeFileSync(hooks, files.hooks);
  if (files.folders !== undefined) writeFileSync(folders, files.folders, { mode: 0o600 });
  return { home, hooks, folders };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('geminiRecordFiles', () => {
  it('finds the files where Gemini does: GEMINI_CLI_HOME in place of HOME, an empty one ignored', () => {
    expect(geminiRecordFiles({ HOME: '/u', GEMINI_CLI_HOME: '/g' }).map((f) => f.file)).toEqual(['/g/.gemini/trusted_hooks.json', '/g/.gemini/trustedFolders.json']);
    expect(geminiRecordFiles({ HOME: '/u', GEMINI_CLI_HOME: '' }).map((f) => f.file)).toEqual(['/u/.gemini/trusted_hooks.json', '/u/.gemini/trustedFolders.json']);
    expect(geminiRecordFiles({ HOME: '/u', GEMINI_CLI_TRUSTED_FOLDERS_PATH: '/t/f.json' }).map((f) => f.file)).toEqual(['/u/.gemini/trusted_hooks.json', '/t/f.json']);
  });
});

describe('forgetWorktreeRecords', () => {
  it("drops the removed worktree's entries and leaves another worktree's and the user's own byte for byte", async () => {
    const data = tempDir();
    const removed = join(data, 'worktrees', '1', '3-1');
    const other = join(data, 'worktrees', '1', '4-1');
    const { home, hooks, folders } = geminiHome({
      hooks: geminiJson({ '/home/me/app': ['mine:npm test'], [removed]: HOOK_KEYS, [other]: HOOK_KEYS }),
      folders: geminiJson({ [removed]: 'TRUST_FOLDER', '/home/me/app': 'TRUST_PARENT', [`${removed}-x`]: 'DO_NOT_TRUST' }),
    });
    chmodSync(folders, 0o640);
    const logger = recordingLogger();
    await forgetWorktreeRecords(removed, { env: { HOME: home }, logger });
    expect(readFileSync(hooks, 'utf8')).toBe(geminiJson({ '/home/me/app': ['mine:npm test'], [other]: HOOK_KEYS }));
    expect(readFileSync(folders, 'utf8')).toBe(geminiJson({ '/home/me/app': 'TRUST_PARENT', [`${removed}-x`]: 'DO_NOT_TRUST' }));
    expect(statSync(folders).mode & 0o777).toBe(0o640);
    expect(logger.lines.filter((line) => line.startsWith('forgot'))).toHaveLength(2);
  });

  it('matches the path Gemini saw, with symlinks resolved, even once the worktree is gone', async () => {
    const data = tempDir();
    mkdirSync(join(data, 'real', '1'), { recursive: true });
    symlinkSync(join(data, 'real'), join(data, 'link'));
    const { home, hooks } = geminiHome({ hooks: geminiJson({ [join(data, 'real', '1', '3-1')]: HOOK_KEYS, [join(data, 'real', '1', '3-2')]: HOOK_KEYS }) });
    await forgetWorktreeRecords(join(data, 'link', '1', '3-1'), { env: { HOME: home } });
    expect(JSON.parse(readFileSync(hooks, 'utf8'))).toEqual({ [join(data, 'real', '1', '3-2')]: HOOK_KEYS });
  });

  it('writes through a symlinked file, keeping the link, and leaves no temporary file', async () => {
    const { home, hooks } = geminiHome({});
    const dotfiles = tempDir('vibe-dotfiles-');
    writeFileSync(join(dotfiles, 'hooks.json'), geminiJson({ '/w/1': HOOK_KEYS, '/w/2': HOOK_KEYS }));
    symlinkSync(join(dotfiles, 'hooks.json'), hooks);
    await forgetWorktreeRecords('/w/1', { env: { HOME: home } });
    expect(lstatSync(hooks).isSymbolicLink()).toBe(true);
    expect(readFileSync(hooks, 'utf8')).toBe(geminiJson({ '/w/2': HOOK_KEYS }));
    expect(readdirSync(dotfiles)).toEqual(['hooks.json']);
  });

  it('creates no file that is missing, and rewrites none that names no removed worktree', async () => {
    const { home, hooks, folders } = geminiHome({ folders: geminiJson({ '/home/me/app': 'TRUST_FOLDER' }) });
    const before = statSync(folders).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await forgetWorktreeRecords('/w/1', { env: { HOME: home } });
    expect(existsSync(hooks)).toBe(false);
    expect(statSync(folders).mtimeMs).toBe(before);
    const bare = tempDir('vibe-home-');
    await forgetWorktreeRecords('/w/1', { env: { HOME: bare } });
    expect(existsSync(join(bare, '.gemini'))).toBe(false);
  });

  it('leaves a file it cannot read as a JSON object alone, with a log line, and goes on to the next', async () => {
    const corrupt = '{ "/w/1": ["vibe-idle:x"], ';
    const { home, hooks, folders } = geminiHome({ hooks: corrupt, folders: geminiJson({ '/w/1': 'TRUST_FOLDER' }) });
    const logger = recordingLogger();
    await forgetWorktreeRecords('/w/1', { env: { HOME: home }, logger });
    expect(readFileSync(hooks, 'utf8')).toBe(corrupt);
    expect(logger.lines.find((line) => line.startsWith('left an agent file alone'))).toContain(hooks);
    expect(readFileSync(folders, 'utf8')).toBe('{\n}');
  });

  it("leaves trustedFolders.json alone while Gemini holds its lock, and says so", async () => {
    const text = geminiJson({ '/w/1': 'TRUST_FOLDER' });
    const { home, folders } = geminiHome({ folders: text });
    mkdirSync(`${folders}.lock`);
    const logger = recordingLogger();
    await forgetWorktreeRecords('/w/1', { env: { HOME: home }, logger });
    expect(readFileSync(folders, 'utf8')).toBe(text);
    expect(logger.lines.some((line) => line.startsWith('an agent file stayed locked'))).toBe(true);
    expect(existsSync(`${folders}.lock`)).toBe(true);
  });
});

describe('removeWorktree and Gemini trust', () => {
  it("forgets the worktree's entries when it removes the worktree, and not on a dry run or a refusal", async () => {
    const { repo, data } = tempRepo();
    const path = join(data, 'wt');
    const { home, hooks } = geminiHome({ hooks: geminiJson({ [path]: HOOK_KEYS, '/home/me/app': HOOK_KEYS }) });
    vi.stubEnv('GEMINI_CLI_HOME', home);
    await createWorktree({ repo, baseBranch: 'main', path, branch: 'vibe/1-a' });
    writeFileSync(join(path, 'notes.txt'), 'unsaved\n');
    await removeWorktree({ repo, path, branch: 'vibe/1-a', force: false, dryRun: true });
    expect((await removeWorktree({ repo, path, branch: 'vibe/1-a', force: false })).removed).toBe(false);
    expect(Object.keys(JSON.parse(readFileSync(hooks, 'utf8')))).toContain(path);
    await removeWorktree({ repo, path, branch: 'vibe/1-a', force: true });
    expect(readFileSync(hooks, 'utf8')).toBe(geminiJson({ '/home/me/app': HOOK_KEYS }));
  });
});
