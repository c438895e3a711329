// Uploads into a real git worktree: chunks in order, resuming, cancelling, the limits, and refusals that
// leave nothing behind — neither in the worktree nor among the partial files.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished, describe, expect, it } from 'vitest';
import { LIMITS } from '@vibe/protocol';
import { nullLogger } from '../logger.js';
import { git, tempRepo } from '../worktrees/temp-repo.js';
import { Uploads } from './uploads.js';
import type { WorktreeRef } from './worktree-path.js';

const CHUNK = LIMITS.fileChunkBytes;

/** A worktree of a temp repository, a directory beside it, and an Uploads keeping partials in `<data>/uploads`. */
function fixture(options: { maxUploads?: number; now?: () => number } = {}) {
  const { repo, data } = tempRepo({ 'README.md': '# test\n', 'run.sh': '#!/bin/sh\n' });
  const root = join(data, 'wt');
  git(repo, 'worktree', 'add', '-q', '-b', 'vibe/1-files', root);
  chmodSync(join(root, 'run.sh'), 0o755);
  const outside = join(data, 'outside');
  mkdirSync(outside);
  const dir = join(data, 'uploads');
  const uploads = new Uploads({ dir, logger: nullLogger, ...options });
  uploads.start();
  onTestFinished(() => uploads.dispose());
  const worktree: WorktreeRef = { path: root, what: 'attempt 1 of task 1' };
  /** Everything a user could see: the worktree's status, the partial files, what is beside the worktree. */
  const traces = () => ({ status: git(root, 'status', '--porcelain', '--untracked-files=all'), partials: readdirSync(dir), outside: readdirSync(outside), under: uploads.size });
  return { root, outside, dir, uploads, worktree, traces };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const chunk = (bytes: Buffer, offset: number, length = CHUNK) => bytes.subarray(offset, offset + length).toString('base64');
const params = (over: Partial<Parameters<Uploads['write']>[1]> & { offset: number; data: string; size: number }) => ({ path: 'assets/big.bin', upload: 'upload-0001', ...over });

describe('an upload', () => {
  it('arrives in three chunks and is byte-identical, created with its directories, the partial gone', async () => {
    const { root, dir, uploads, worktree } = fixture();
    const bytes = randomBytes(2 * CHUNK + 12_345);
    const size = bytes.length;
    expect(await uploads.write(worktree, params({ offset: 0, data: chunk(bytes, 0), size }))).toEqual({ received: CHUNK, done: false, path: 'assets/big.bin' });
    expect(statSync(join(dir, 'upload-0001')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(existsSync(join(root, 'assets'))).toBe(false);
    expect(await uploads.write(worktree, params({ offset: CHUNK, data: chunk(bytes, CHUNK), size }))).toEqual({ received: 2 * CHUNK, done: false, path: 'assets/big.bin' });
    expect(await uploads.write(worktree, params({ offset: 2 * CHUNK, data: chunk(bytes, 2 * CHUNK), size, last: true }))).toEqual({ received: size, done: true, path: 'assets/big.bin' });
    expect(sha256(readFileSync(join(root, 'assets', 'big.bin')))).toBe(sha256(bytes));
    expect(statSync(join(root, 'assets', 'big.bin')).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual([]);
    expect(uploads.size).toBe(0);
  });

  it('takes chunks sent before the previous one was answered, in the order sent', async () => {
    const { root, uploads, worktree } = fixture();
    const bytes = randomBytes(3 * CHUNK);
    const answers = await Promise.all([0, 1, 2].map((i) => uploads.write(worktree, params({ offset: i * CHUNK, data: chunk(bytes, i * CHUNK), size: bytes.length }))));
    expect(answers.map((answer) => answer.received)).toEqual([CHUNK, 2 * CHUNK, 3 * CHUNK]);
    expect(sha256(readFileSync(join(root, 'assets', 'big.bin')))).toBe(sha256(bytes));
  });

  it('writes an empty file from one empty chunk', async () => {
    const { root, uploads, worktree } = fixture();
    expect(await uploads.write(worktree, params({ path: 'empty.txt', offset: 0, data: '', size: 0, last: true }))).toEqual({ received: 0, done: true, path: 'empty.txt' });
    expect(readFileSync(join(root, 'empty.txt'))).toHaveLength(0);
  });

  it('refuses a chunk at the wrong offset with the bytes received, so the client can resume there', async () => {
    const { root, uploads, worktree } = fixture();
    const bytes = randomBytes(2 * CHUNK);
    await uploads.write(worktree, params({ offset: 0, data: chunk(bytes, 0), size: bytes.length }));
    for (const offset of [0, 100, 2 * CHUNK]) {
      await expect(uploads.write(worktree, params({ offset, data: chunk(bytes, offset), size: bytes.length }))).rejects.toMatchObject({ code: 'conflict', data: { received: CHUNK } });
    }
    expect((await uploads.write(worktree, params({ offset: CHUNK, data: chunk(bytes, CHUNK), size: bytes.length }))).done).toBe(true);
    expect(sha256(readFileSync(join(root, 'assets', 'big.bin')))).toBe(sha256(bytes));
  });

  it('tells a client resuming an upload the daemon does not know to start from 0, keeping nothing', async () => {
    const { uploads, worktree, traces } = fixture();
    const before = traces();
    await expect(uploads.write(worktree, params({ offset: CHUNK, data: 'aGk=', size: 2 * CHUNK }))).rejects.toMatchObject({ code: 'conflict', data: { received: 0 } });
    expect(traces()).toEqual(before);
  });

  it('is removed, partial and all, by a cancel; a second cancel finds nothing', async () => {
    const { uploads, worktree, traces } = fixture();
    const before = traces();
    await uploads.write(worktree, params({ offset: 0, data: chunk(randomBytes(10), 0), size: 20 }));
    expect(traces().partials).toEqual(['upload-0001']);
    await uploads.cancel('upload-0001');
    expect(traces()).toEqual(before);
    await expect(uploads.cancel('upload-0001')).rejects.toMatchObject({ code: 'not_found' });
    await expect(uploads.write(worktree, params({ offset: 10, data: 'aGk=', size: 20 }))).rejects.toMatchObject({ code: 'conflict', data: { received: 0 } });
  });

  it('refuses a chunk past the size, and a last chunk short of it, keeping what came before', async () => {
    const { root, uploads, worktree, traces } = fixture();
    const before = traces();
    await expect(uploads.write(worktree, params({ offset: 0, data: 'aGVsbG8=', size: 4 }))).rejects.toMatchObject({ code: 'invalid_params', data: { received: 0, size: 4 } });
    await expect(uploads.write(worktree, params({ offset: 0, data: 'aGVsbG8=', size: 6, last: true }))).rejects.toMatchObject({ code: 'invalid_params', data: { received: 0, size: 6 } });
    expect(traces()).toEqual(before);
    await uploads.write(worktree, params({ offset: 0, data: 'aGk=', size: 4 }));
    await expect(uploads.write(worktree, params({ offset: 2, data: 'aGVsbG8=', size: 4 }))).rejects.toMatchObject({ code: 'invalid_params', data: { received: 2, size: 4 } });
    await expect(uploads.write(worktree, params({ offset: 2, data: 'aA==', size: 4, last: true }))).rejects.toMatchObject({ code: 'invalid_params', data: { received: 2, size: 4 } });
    expect(await uploads.write(worktree, params({ offset: 2, data: 'aGk=', size: 4, last: true }))).toMatchObject({ received: 4, done: true });
    expect(readFileSync(join(root, 'assets', 'big.bin'), 'utf8')).toBe('hihi');
  });

  it('refuses a chunk naming another file, size or options under the same id', async () => {
    const { uploads, worktree } = fixture();
    await uploads.write(worktree, params({ offset: 0, data: 'aGk=', size: 4 }));
    const other = { offset: 2, data: 'aGk=', size: 4 };
    await expect(uploads.write(worktree, params({ ...other, path: 'other.bin' }))).rejects.toMatchObject({ code: 'conflict', data: { upload: 'upload-0001', path: 'assets/big.bin', size: 4 } });
    await expect(uploads.write(worktree, params({ ...other, size: 5 }))).rejects.toMatchObject({ code: 'conflict' });
    await expect(uploads.write(worktree, params({ ...other, overwrite: true }))).rejects.toMatchObject({ code: 'conflict' });
    await expect(uploads.write({ ...worktree, path: `${worktree.path}-2` }, params(other))).rejects.toMatchObject({ code: 'conflict' });
    expect(await uploads.write(worktree, params(other))).toMatchObject({ done: true });
  });
});

describe('an upload refused for its path', () => {
  it.each([
    ['../outside/escape.txt', /"\.\." segment/],
    ['/etc/vibe-upload', /is absolute/],
    ['a/../../escape.txt', /"\.\." segment/],
    ['.git/config', /inside \.git/],
    ['out/escape.txt', /leads outside the worktree/],
    ['out/new/escape.txt', /leads outside the worktree/],
    ['etc/passwd', /leads outside the worktree/],
    ['nul\u0000.txt', /control character/],
    ['README.md/x', /not a directory/],
  ])('%j leaves nothing anywhere', async (path, message) => {
    const { root, outside, uploads, worktree, traces } = fixture();
    symlinkSync(outside, join(root, 'out'));
    symlinkSync('/etc', join(root, 'etc'));
    const before = traces();
    // A first chunk of several: refused before its partial file exists, not only when the file would be placed.
    await expect(uploads.write(worktree, params({ path, offset: 0, data: 'aGk=', size: 4, overwrite: true }))).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringMatching(message) });
    expect(traces()).toEqual(before);
  });

  it('keeps an existing file unless overwrite, and then keeps its mode', async () => {
    const { root, uploads, worktree, traces } = fixture();
    const before = traces();
    await expect(uploads.write(worktree, params({ path: 'run.sh', offset: 0, data: 'aGk=', size: 4 }))).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('overwrite') });
    expect(traces()).toEqual(before);
    await uploads.write(worktree, params({ path: 'run.sh', offset: 0, data: 'aGk=', size: 2, overwrite: true }));
    expect(readFileSync(join(root, 'run.sh'), 'utf8')).toBe('hi');
    expect(statSync(join(root, 'run.sh')).mode & 0o777).toBe(0o755);
  });

  it('is checked again at the end: a file that appeared meanwhile is kept and the upload discarded', async () => {
    const { root, dir, uploads, worktree } = fixture();
    await uploads.write(worktree, params({ path: 'late.txt', offset: 0, data: 'aGk=', size: 4 }));
    writeFileSync(join(root, 'late.txt'), 'mine');
    await expect(uploads.write(worktree, params({ path: 'late.txt', offset: 2, data: 'aGk=', size: 4 }))).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('the upload was discarded') });
    expect(readFileSync(join(root, 'late.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(dir)).toEqual([]);
    expect(uploads.size).toBe(0);
  });

  it('says the worktree is gone when the attempt lost it', async () => {
    const { uploads, worktree, traces } = fixture();
    const before = traces();
    await expect(uploads.write({ ...worktree, path: `${worktree.path}-removed` }, params({ offset: 0, data: 'aGk=', size: 4 }))).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('the worktree of attempt 1 of task 1') });
    expect(traces()).toEqual(before);
  });
});

describe('the uploads under way', () => {
  it('are bounded: one more is busy until one finishes or is cancelled', async () => {
    const { uploads, worktree } = fixture({ maxUploads: 2 });
    await uploads.write(worktree, params({ upload: 'upload-000a', path: 'a', offset: 0, data: 'aGk=', size: 4 }));
    await uploads.write(worktree, params({ upload: 'upload-000b', path: 'b', offset: 0, data: 'aGk=', size: 4 }));
    await expect(uploads.write(worktree, params({ upload: 'upload-000c', path: 'c', offset: 0, data: 'aGk=', size: 4 }))).rejects.toMatchObject({ code: 'busy' });
    await uploads.cancel('upload-000a');
    expect(await uploads.write(worktree, params({ upload: 'upload-000c', path: 'c', offset: 0, data: 'aGk=', size: 4 }))).toMatchObject({ received: 2 });
  });

  it('are swept once idle past the limit, partials and all', async () => {
    let now = 0;
    const { dir, uploads, worktree } = fixture({ now: () => now });
    await uploads.write(worktree, params({ upload: 'upload-old1', path: 'old', offset: 0, data: 'aGk=', size: 4 }));
    now = 30 * 60_000;
    await uploads.write(worktree, params({ upload: 'upload-new1', path: 'new', offset: 0, data: 'aGk=', size: 4 }));
    now = 61 * 60_000;
    expect(await uploads.sweep()).toBe(1);
    expect(readdirSync(dir)).toEqual(['upload-new1']);
    await expect(uploads.write(worktree, params({ upload: 'upload-old1', path: 'old', offset: 2, data: 'aGk=', size: 4 }))).rejects.toMatchObject({ code: 'conflict', data: { received: 0 } });
  });

  it('are forgotten by a restart, which removes the partials a previous run left', async () => {
    const { dir, uploads, worktree } = fixture();
    await uploads.write(worktree, params({ offset: 0, data: 'aGk=', size: 4 }));
    const next = new Uploads({ dir, logger: nullLogger });
    next.start();
    onTestFinished(() => next.dispose());
    expect(readdirSync(dir)).toEqual([]);
    await expect(next.write(worktree, params({ offset: 2, data: 'aGk=', size: 4 }))).rejects.toMatchObject({ code: 'conflict', data: { received: 0 } });
  });
});
