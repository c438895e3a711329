// Path safety for file transfers: paths refused as text, and paths that symlinks would lead out of a real
// git worktree, for reading and for writing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tempRepo } from '../worktrees/temp-repo.js';
import { checkRelativePath, openRoot, planWrite, resolveForRead } from './worktree-path.js';

/**
 * A real worktree of a temp repository, holding README.md, docs/guide.md, a `docs-link` symlink to docs, a
 * `guide-link` to docs/guide.md, and beside it (outside) a directory `outside/` with `secret.txt`.
 */
function worktree(): { root: string; outside: string } {
  const { repo, data } = tempRepo({ 'README.md': '# test\n', 'docs/guide.md': 'guide\n' });
  const root = join(data, 'wt');
  git(repo, 'worktree', 'add', '-q', '-b', 'vibe/1-files', root);
  symlinkSync('docs', join(root, 'docs-link'));
  symlinkSync('docs/guide.md', join(root, 'guide-link'));
  const outside = join(data, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'secret\n');
  return { root, outside };
}

const refused = (message: RegExp) => expect.objectContaining({ code: 'invalid_params', message: expect.stringMatching(message), data: { issues: [expect.objectContaining({ path: 'path' })] } });

describe('checkRelativePath', () => {
  it.each(['a.txt', 'docs/sub/spec.pdf', 'ünïcödé/файл 📄.txt', '.gitignore', '.github/workflows/ci.yml', 'x.git/config', 'git/config', '...', '..a', `${'n'.repeat(255)}`])(
    'accepts %j',
    (path) => {
      expect(checkRelativePath(path).join('/')).toBe(path);
    },
  );

  it.each([
    ['', /is empty/],
    ['/etc/passwd', /is absolute/],
    ['..', /"\.\." segment/],
    ['../x', /"\.\." segment/],
    ['a/../../x', /"\.\." segment/],
    ['a/../b', /"\.\." segment/],
    ['./a', /empty or "\." segment/],
    ['a//b', /empty or "\." segment/],
    ['a/', /empty or "\." segment/],
    ['.git', /inside \.git/],
    ['.git/config', /inside \.git/],
    ['vendor/lib/.git/config', /inside \.git/],
    ['.GIT/config', /inside \.git/],
    ['a\u0000b', /control character/],
    ['a\nb', /control character/],
    ['\u001b]52;c;aGk=\u0007', /control character/],
    ['n'.repeat(256), /longer than 255 bytes/],
    [Array.from({ length: 25 }, () => 'd'.repeat(200)).join('/'), /longer than 4095 bytes/],
    ['é'.repeat(128), /longer than 255 bytes/],
  ])('refuses %j', (path, message) => {
    expect(() => checkRelativePath(path)).toThrow(refused(message));
  });
});

describe('openRoot', () => {
  it('resolves the worktree, and says the attempt\'s worktree is gone once it was removed', async () => {
    const { root } = worktree();
    expect(await openRoot({ path: root, what: 'attempt 1 of task 1' })).toBe(root);
    rmSync(root, { recursive: true });
    await expect(openRoot({ path: root, what: 'attempt 1 of task 1' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(`the worktree of attempt 1 of task 1 (${root}) is gone`) });
  });
});

describe('resolveForRead', () => {
  const read = async (root: string, path: string) => resolveForRead(root, checkRelativePath(path));

  it('finds a regular file', async () => {
    const { root } = worktree();
    expect((await read(root, 'docs/guide.md')).real).toBe(join(root, 'docs', 'guide.md'));
  });

  it('follows symlinks that stay inside the worktree, to a file or through a directory', async () => {
    const { root } = worktree();
    expect((await read(root, 'guide-link')).real).toBe(join(root, 'docs', 'guide.md'));
    expect((await read(root, 'docs-link/guide.md')).real).toBe(join(root, 'docs', 'guide.md'));
  });

  it('refuses symlinks leading out, to a file or through a directory', async () => {
    const { root, outside } = worktree();
    symlinkSync('/etc/hostname', join(root, 'host'));
    symlinkSync(outside, join(root, 'out'));
    symlinkSync('../outside/secret.txt', join(root, 'relative-out'));
    await expect(read(root, 'host')).rejects.toThrow(refused(/leads outside the worktree/));
    await expect(read(root, 'out/secret.txt')).rejects.toThrow(refused(/leads outside the worktree/));
    await expect(read(root, 'relative-out')).rejects.toThrow(refused(/leads outside the worktree/));
  });

  it('refuses a symlink into .git', async () => {
    const { root } = worktree();
    symlinkSync('.git', join(root, 'gitfile'));
    await expect(read(root, 'gitfile')).rejects.toThrow(refused(/leads into \.git/));
  });

  it('refuses directories, FIFOs and symlink loops, and says a missing file is not found', async () => {
    const { root } = worktree();
    execFileSync('mkfifo', [join(root, 'pipe')]);
    symlinkSync('loop', join(root, 'loop'));
    await expect(read(root, 'docs')).rejects.toThrow(refused(/is a directory/));
    await expect(read(root, 'pipe')).rejects.toThrow(refused(/not a regular file/));
    await expect(read(root, 'loop')).rejects.toThrow(refused(/loop of symlinks/));
    await expect(read(root, 'missing.txt')).rejects.toMatchObject({ code: 'not_found' });
    await expect(read(root, 'README.md/x')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a path too long for the file system, and does not find one that only the worktree makes too long', async () => {
    const { root } = worktree();
    await expect(read(root, Array.from({ length: 25 }, () => 'd'.repeat(200)).join('/'))).rejects.toThrow(refused(/longer than 4095 bytes/));
    await expect(read(root, 'd'.repeat(4095))).rejects.toThrow(refused(/longer than 255 bytes/));
    await expect(read(root, Array.from({ length: 16 }, () => 'd'.repeat(255)).join('/'))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('planWrite', () => {
  const plan = async (root: string, path: string, overwrite = false) => planWrite(root, checkRelativePath(path), overwrite);

  it('plans a new file at the root, and the directories a deeper one needs', async () => {
    const { root } = worktree();
    expect(await plan(root, 'new.txt')).toEqual({ base: root, missing: [], name: 'new.txt', existing: undefined });
    expect(await plan(root, 'docs/a/b/new.txt')).toEqual({ base: join(root, 'docs'), missing: ['a', 'b'], name: 'new.txt', existing: undefined });
  });

  it('replaces an existing file only with overwrite', async () => {
    const { root } = worktree();
    await expect(plan(root, 'README.md')).rejects.toMatchObject({ code: 'conflict', message: 'README.md exists in the worktree; send overwrite: true to replace it' });
    expect((await plan(root, 'README.md', true)).existing?.size).toBe(7);
  });

  it('writes through a directory symlink that stays inside, into its real directory', async () => {
    const { root } = worktree();
    expect(await plan(root, 'docs-link/new.md')).toMatchObject({ base: join(root, 'docs'), missing: [] });
  });

  it('refuses to write onto a symlink, even one pointing inside', async () => {
    const { root } = worktree();
    await expect(plan(root, 'guide-link', true)).rejects.toThrow(refused(/is a symlink/));
  });

  it('refuses a symlink to /etc, a symlinked parent leading out and one to nowhere', async () => {
    const { root, outside } = worktree();
    symlinkSync('/etc', join(root, 'etc'));
    symlinkSync(outside, join(root, 'out'));
    symlinkSync(join(outside, 'missing'), join(root, 'dangling'));
    await expect(plan(root, 'etc/passwd', true)).rejects.toThrow(refused(/leads outside the worktree/));
    await expect(plan(root, 'etc/vibe/new.conf')).rejects.toThrow(refused(/leads outside the worktree/));
    await expect(plan(root, 'out/new.txt')).rejects.toThrow(refused(/leads outside the worktree/));
    await expect(plan(root, 'dangling/new.txt')).rejects.toThrow(refused(/a symlink to nowhere/));
  });

  it('refuses a directory, a path through a file and a path too long', async () => {
    const { root } = worktree();
    await expect(plan(root, 'docs', true)).rejects.toThrow(refused(/is a directory/));
    await expect(plan(root, 'README.md/new.txt')).rejects.toThrow(refused(/goes through README.md, which is not a directory/));
    await expect(plan(root, 'README.md/a/new.txt')).rejects.toThrow(refused(/goes through a file as if it were a directory/));
    // Within 4095 bytes, but not with the worktree's own path in front.
    await expect(plan(root, Array.from({ length: 16 }, () => 'd'.repeat(255)).join('/'))).rejects.toThrow(refused(/too long for the file system/));
  });
});
