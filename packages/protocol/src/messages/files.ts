// File transfer into and out of an attempt's worktree (@since 1.4): chunks of base64 inside control messages,
// so a file of any size crosses the same socket or relay channel as every other request.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { Empty, Timestamp } from './common.js';
import { AttemptRef } from './review.js';

/** Characters of base64 that carry `bytes` bytes, padding included. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Bytes a padded base64 string decodes to, without decoding it. */
export function base64Bytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/**
 * One chunk as padded base64. The length bound alone would let a 699,052-character string without padding
 * decode to one byte over the chunk limit, hence the exact count.
 */
const Chunk = z
  .base64()
  .max(base64Length(LIMITS.fileChunkBytes))
  .refine((text) => base64Bytes(text) <= LIMITS.fileChunkBytes, `data decodes to more than ${LIMITS.fileChunkBytes} bytes`);

/**
 * A path inside the worktree, relative to its root. Only the length is checked here; the daemon refuses
 * absolute paths, "." and ".." segments, control characters, anything under .git and symlinks leading out
 * (`invalid_params`), because only it can see the worktree.
 */
export const WorktreePath = z
  .string()
  .min(1)
  .max(LIMITS.pathMax)
  .describe('@since 1.4 Relative to the worktree root, "/"-separated; not absolute, no "." or ".." segments, nothing under .git');

/** Chosen by the client, so it can resume an upload after a reconnect without waiting for an answer first. */
export const UploadId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'upload ids are 8 to 64 letters, digits, "_" and "-"')
  .describe('@since 1.4 Chosen by the client; names one upload until it completes or is cancelled');

const ByteCount = z.number().int().nonnegative();

export const FileWriteParams = AttemptRef.extend({
  path: WorktreePath,
  upload: UploadId,
  offset: ByteCount.max(LIMITS.fileUploadBytes).describe('@since 1.4 Where this chunk starts: the bytes the daemon has received so far'),
  data: Chunk.describe(`@since 1.4 The chunk, base64 (at most ${LIMITS.fileChunkBytes} bytes decoded); may be empty`),
  size: ByteCount.max(LIMITS.fileUploadBytes).describe(`@since 1.4 The whole file's size in bytes, at most ${LIMITS.fileUploadBytes}; the same in every chunk`),
  last: z.boolean().optional().describe('@since 1.4 The client says this chunk ends the file; refused if it leaves the file short'),
  overwrite: z.boolean().optional().describe('@since 1.4 Replace a file already at path; without it an existing file is a conflict'),
});
export const FileWriteResult = z.object({
  received: ByteCount.describe('@since 1.4 Bytes received so far; the next chunk starts here'),
  done: z.boolean().describe('@since 1.4 All size bytes arrived and the file is in place'),
  path: z.string().describe('@since 1.4 The path written, relative to the worktree root, as the daemon normalised it'),
});

export const FileCancelParams = z.object({ upload: UploadId });
export const FileCancelResult = Empty;

export const FileReadParams = AttemptRef.extend({
  path: WorktreePath,
  offset: ByteCount.optional().describe('@since 1.4 Default 0'),
  length: ByteCount.max(LIMITS.fileChunkBytes).optional().describe(`@since 1.4 Bytes to read, default and at most ${LIMITS.fileChunkBytes}; 0 reads only size and mtime`),
});
export const FileReadResult = z.object({
  data: z.base64().describe('@since 1.4 The bytes read, base64'),
  offset: ByteCount.describe('@since 1.4 Where data starts in the file'),
  size: ByteCount.describe('@since 1.4 The whole file\'s size now'),
  eof: z.boolean().describe('@since 1.4 data reaches the end of the file'),
  mtime: Timestamp.describe('@since 1.4 The file\'s modification time; a change between chunks means the file changed under the download'),
});
