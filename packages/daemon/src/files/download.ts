// Reading a file of a worktree one chunk at a time, for file.read.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { LIMITS, ProtocolError, type MethodResult } from '@vibe/protocol';
import { checkRelativePath, openRoot, refusePath, resolveForRead, type WorktreeRef } from './worktree-path.js';

/**
 * Up to `length` bytes of the regular file at `path`, from `offset`. The file is opened by its real path
 * without following links and without blocking (a FIFO swapped in after the check must not hang the
 * daemon), and checked again through the open handle.
 */
export async function readChunk(worktree: WorktreeRef, path: string, offset = 0, length: number = LIMITS.fileChunkBytes): Promise<MethodResult<'file.read'>> {
  const segments = checkRelativePath(path);
  const { real } = await resolveForRead(await openRoot(worktree), segments);
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refusePath(path, 'is not a regular file');
    if (offset > stats.size) {
      throw new ProtocolError('invalid_params', `offset ${offset} is past the end of ${path} (${stats.size} bytes); it may have changed since the last chunk`, { size: stats.size });
    }
    const buffer = Buffer.alloc(Math.min(length, stats.size - offset));
    let filled = 0;
    // A file that shrinks while it is read ends the chunk early rather than padding it.
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return {
      data: buffer.subarray(0, filled).toString('base64'),
      offset,
      size: stats.size,
      eof: offset + filled >= stats.size,
      mtime: stats.mtime.toISOString(),
    };
  } finally {
    await handle.close();
  }
}
