// currentRepo against real temp git repositories: top level, branch, and the usage errors outside one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { currentRepo } from './git.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'vibe-git-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function repo(name: string): string {
  const dir = join(root, name);
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init']);
  return dir;
}

describe('currentRepo', () => {
  it('finds the top level and branch from a subdirectory', async () => {
    const dir = repo('plain');
    execFileSync('mkdir', ['-p', join(dir, 'src', 'deep')]);
    expect(await currentRepo(join(dir, 'src', 'deep'))).toEqual({ toplevel: dir, branch: 'main' });
  });

  it('reads branch names with slashes', async () => {
    const dir = repo('feature');
    execFileSync('git', ['-C', dir, 'switch', '-q', '-c', 'feature/login']);
    expect((await currentRepo(dir)).branch).toBe('feature/login');
  });

  it('is a usage error outside a repository, naming the directory', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'vibe-not-git-'));
    try {
      await expect(currentRepo(outside)).rejects.toThrow(new UsageError(`not inside a git repository (${outside})`));
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('is a usage error on a detached HEAD', async () => {
    const dir = repo('detached');
    execFileSync('git', ['-C', dir, 'checkout', '-q', '--detach']);
    await expect(currentRepo(dir)).rejects.toThrow(/HEAD is detached/);
    await expect(currentRepo(dir)).rejects.toBeInstanceOf(UsageError);
  });

  it('runs git with argument arrays, top level first', async () => {
    const calls: string[][] = [];
    const info = await currentRepo('/work/x', async (args, cwd) => {
      calls.push([cwd, ...args]);
      return args[0] === 'rev-parse' ? { code: 0, stdout: '/work/x\n', stderr: '' } : { code: 0, stdout: 'main\n', stderr: '' };
    });
    expect(info).toEqual({ toplevel: '/work/x', branch: 'main' });
    expect(calls).toEqual([
      ['/work/x', 'rev-parse', '--show-toplevel'],
      ['/work/x', 'symbolic-ref', '--quiet', '--short', 'HEAD'],
    ]);
  });
});
