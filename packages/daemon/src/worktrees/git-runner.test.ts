// The git runner: argv straight to git, every exit code reported, and no inherited GIT_* redirecting it.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execGit, gitEnv } from './git-runner.js';
import { preflight } from './preflight.js';
import { tempDir, tempRepo } from './temp-repo.js';

const saved = process.env.GIT_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.GIT_DIR;
  else process.env.GIT_DIR = saved;
});

describe('execGit', () => {
  it('resolves with the exit code and both streams, also on failure', async () => {
    const { repo } = tempRepo();
    await expect(execGit(['rev-parse', '--abbrev-ref', 'HEAD'], repo)).resolves.toEqual({ code: 0, stdout: 'main\n', stderr: '' });
    const bad = await execGit(['rev-parse', '--verify', 'refs/heads/nope'], repo);
    expect(bad.code).toBe(128);
    expect(bad.stderr).toContain('fatal: Needed a single revision');
  });

  it('rejects with a clear error when the directory is missing', async () => {
    await expect(execGit(['status'], join(tempDir(), 'gone'))).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('cannot run git in') });
  });

  it('ignores a GIT_DIR inherited by the daemon (as when started from a git hook)', async () => {
    const { repo } = tempRepo();
    process.env.GIT_DIR = tempDir(); // not a repository: every call would fail if git saw it
    await expect(preflight({ repo, baseBranch: 'main' })).resolves.toBeUndefined();
  });
});

describe('gitEnv', () => {
  it('drops repository-locating GIT_* variables, keeps configuration ones, turns prompts off', () => {
    const env = gitEnv({ PATH: '/bin', GIT_DIR: '/x', GIT_WORK_TREE: '/y', GIT_INDEX_FILE: '/z', GIT_CONFIG_PARAMETERS: "'a.b'='c'", GIT_CONFIG_GLOBAL: '/g' });
    expect(env).toEqual({ PATH: '/bin', GIT_CONFIG_GLOBAL: '/g', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' });
  });
});
