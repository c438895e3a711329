// Downloads out of a real git worktree: chunked reads that reassemble byte for byte, and the files refused.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '@vibe/protocol';
import { git, tempRepo } from '../worktrees/temp-repo.js';
import { readChunk } from './download.js';

function worktree(): { root: string; ref: { path: string; what: string } } {
  const { repo, data } = tempRepo({ 'README.md': '# test\n' });
  const root = join(data, 'wt');
  git(repo, 'worktree', 'add', '-q', '-b', 'vibe/1-files', root);
  return { root, ref: { path: root, what: 'attempt 1 of task 1' } };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('readChunk', () => {
  it('reads a 1.2 MiB file in chunks that reassemble byte for byte, the last one at eof', async () => {
    const { root, ref } = worktree();
    const bytes = randomBytes(Math.round(1.2 * 1024 * 1024));
    writeFileSync(join(root, 'data.bin'), bytes);
    utimesSync(join(root, 'data.bin'), new Date('2026-02-03T04:05:06Z'), new Date('2026-02-03T04:05:06Z'));
    const chunks: Buffer[] = [];
    for (let offset = 0, eof = false; !eof; ) {
      const chunk = await readChunk(ref, 'data.bin', offset);
      expect(chunk).toMatchObject({ offset, size: bytes.length, mtime: '2026-02-03T04:05:06.000Z' });
      chunks.push(Buffer.from(chunk.data, 'base64'));
      offset += chunks[chunks.length - 1]!.length;
      eof = chunk.eof;
    }
    expect(chunks.map((chunk) => chunk.length)).toEqual([LIMITS.fileChunkBytes, LIMITS.fileChunkBytes, bytes.length - 2 * LIMITS.fileChunkBytes]);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(bytes));
  });

  it('reads a given length, nothing but the size with length 0, and an empty file at eof', async () => {
    const { root, ref } = worktree();
    writeFileSync(join(root, 'empty'), '');
    expect(await readChunk(ref, 'README.md', 2, 4)).toMatchObject({ data: Buffer.from('test').toString('base64'), offset: 2, size: 7, eof: false });
    expect(await readChunk(ref, 'README.md', 0, 0)).toMatchObject({ data: '', size: 7, eof: false });
    expect(await readChunk(ref, 'README.md', 7)).toMatchObject({ data: '', size: 7, eof: true });
    expect(await readChunk(ref, 'empty')).toMatchObject({ data: '', size: 0, eof: true });
  });

  it('refuses an offset past the end, naming the size now', async () => {
    const { ref } = worktree();
    await expect(readChunk(ref, 'README.md', 8)).rejects.toMatchObject({ code: 'invalid_params', data: { size: 7 } });
  });

  it('reads through a symlink inside the worktree, and refuses one to /etc', async () => {
    const { root, ref } = worktree();
    symlinkSync('README.md', join(root, 'readme-link'));
    symlinkSync('/etc/hostname', join(root, 'host'));
    expect(Buffer.from((await readChunk(ref, 'readme-link')).data, 'base64').toString()).toBe('# test\n');
    await expect(readChunk(ref, 'host')).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('leads outside the worktree') });
  });

  it('refuses a FIFO without waiting for a writer, and .git', async () => {
    const { root, ref } = worktree();
    execFileSync('mkfifo', [join(root, 'pipe')]);
    await expect(readChunk(ref, 'pipe')).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('not a regular file') });
    await expect(readChunk(ref, '.git')).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('inside .git') });
  });

  it('says a missing file is not found, and a removed worktree is gone', async () => {
    const { ref } = worktree();
    await expect(readChunk(ref, 'nope.txt')).rejects.toMatchObject({ code: 'not_found' });
    await expect(readChunk({ ...ref, path: `${ref.path}-removed` }, 'README.md')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('is gone') });
  });
});
