// Tests for the file transfer schemas (@since 1.4).
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../limits.js';
import { FRAME_HEADER_SIZE, encodeControl } from '../frame.js';
import { base64Bytes, base64Length, FileCancelParams, FileReadParams, FileReadResult, FileWriteParams } from './files.js';

/** `bytes` bytes of "a" as base64, built without Node's Buffer so the test reads like a browser client. */
function encode(bytes: number): string {
  const full = 'YWFh'.repeat(Math.floor(bytes / 3));
  const rest = bytes % 3;
  return full + (rest === 0 ? '' : rest === 1 ? 'YQ==' : 'YWE=');
}

const write = { project: 'myapp', number: 3, path: 'docs/spec.pdf', upload: 'u-0123456789', offset: 0, data: 'aGVsbG8=', size: 5 };

describe('base64 sizes', () => {
  it.each([0, 1, 2, 3, 4, 5, LIMITS.fileChunkBytes])('counts the %i bytes a padded string decodes to', (bytes) => {
    const text = encode(bytes);
    expect(text.length).toBe(base64Length(bytes));
    expect(base64Bytes(text)).toBe(bytes);
    expect(atob(text).length).toBe(bytes);
  });
});

describe('FileWriteParams', () => {
  it('takes a chunk of an upload into an attempt, the attempt optional', () => {
    expect(FileWriteParams.parse(write)).toEqual(write);
    expect(FileWriteParams.parse({ ...write, attempt: 2, last: true, overwrite: true })).toMatchObject({ attempt: 2, last: true, overwrite: true });
  });

  it('accepts an empty chunk, for an empty file', () => {
    expect(FileWriteParams.safeParse({ ...write, data: '', size: 0, last: true }).success).toBe(true);
  });

  it.each(['short', 'x'.repeat(65), 'has space1', 'slash/in/id', 'dot.in.id', 'ünïcödé1', ''])('refuses the upload id %j', (upload) => {
    const result = FileWriteParams.safeParse({ ...write, upload });
    expect(result.error?.issues[0]?.path).toEqual(['upload']);
  });

  it.each(['abc-DEF_12', 'x'.repeat(8), 'x'.repeat(64)])('accepts the upload id %j', (upload) => {
    expect(FileWriteParams.safeParse({ ...write, upload }).success).toBe(true);
  });

  it.each([
    ['not base64', 'hello world'],
    ['unpadded', 'aGVsbG8'],
    ['base64url', 'aGk_-A=='],
    ['a data: URL', 'data:text/plain;base64,aGk='],
  ])('refuses data that is %s', (_what, data) => {
    expect(FileWriteParams.safeParse({ ...write, data }).error?.issues[0]?.path).toEqual(['data']);
  });

  it('takes a chunk of exactly LIMITS.fileChunkBytes and refuses one byte more, padded or not', () => {
    expect(FileWriteParams.safeParse({ ...write, size: LIMITS.fileChunkBytes, data: encode(LIMITS.fileChunkBytes) }).success).toBe(true);
    expect(FileWriteParams.safeParse({ ...write, size: LIMITS.fileUploadBytes, data: encode(LIMITS.fileChunkBytes + 1) }).success).toBe(false);
    // 699,052 characters without padding: within the length bound, one byte over the chunk limit.
    const unpadded = 'YWFh'.repeat(base64Length(LIMITS.fileChunkBytes) / 4);
    expect(unpadded.length).toBe(base64Length(LIMITS.fileChunkBytes));
    expect(FileWriteParams.safeParse({ ...write, size: LIMITS.fileUploadBytes, data: unpadded }).error?.issues[0]).toMatchObject({
      path: ['data'],
      message: `data decodes to more than ${LIMITS.fileChunkBytes} bytes`,
    });
  });

  it('fits the largest chunk, with its envelope, in one control message', () => {
    const params = { ...write, path: 'p'.repeat(LIMITS.pathMax), upload: 'u'.repeat(64), project: 'n'.repeat(LIMITS.projectNameMax), data: encode(LIMITS.fileChunkBytes), last: true, overwrite: true };
    const frame = encodeControl({ type: 'request', id: Number.MAX_SAFE_INTEGER, method: 'file.write', params });
    expect(frame.length - FRAME_HEADER_SIZE).toBeLessThanOrEqual(LIMITS.maxMessageBytes);
  });

  it('refuses a file over LIMITS.fileUploadBytes and offsets outside it', () => {
    expect(FileWriteParams.safeParse({ ...write, size: LIMITS.fileUploadBytes }).success).toBe(true);
    expect(FileWriteParams.safeParse({ ...write, size: LIMITS.fileUploadBytes + 1 }).error?.issues[0]?.path).toEqual(['size']);
    expect(FileWriteParams.safeParse({ ...write, offset: -1 }).success).toBe(false);
    expect(FileWriteParams.safeParse({ ...write, offset: 1.5 }).success).toBe(false);
    expect(FileWriteParams.safeParse({ ...write, offset: LIMITS.fileUploadBytes + 1 }).success).toBe(false);
  });

  it('refuses an empty path and one over LIMITS.pathMax, and leaves the rest to the daemon', () => {
    expect(FileWriteParams.safeParse({ ...write, path: '' }).success).toBe(false);
    expect(FileWriteParams.safeParse({ ...write, path: 'p'.repeat(LIMITS.pathMax + 1) }).success).toBe(false);
    // Only the daemon can see where a path leads in the worktree; the schema does not pretend to.
    expect(FileWriteParams.safeParse({ ...write, path: '../../etc/passwd' }).success).toBe(true);
  });

  it('needs the task number, the path, the upload, the offset, the data and the size', () => {
    for (const key of ['number', 'path', 'upload', 'offset', 'data', 'size']) {
      const { [key]: _dropped, ...rest } = write as Record<string, unknown>;
      expect(FileWriteParams.safeParse(rest).error?.issues[0]?.path, key).toEqual([key]);
    }
  });
});

describe('FileCancelParams and FileReadParams', () => {
  it('cancels by upload id alone', () => {
    expect(FileCancelParams.parse({ upload: 'u-0123456789' })).toEqual({ upload: 'u-0123456789' });
    expect(FileCancelParams.safeParse({ upload: 'short' }).success).toBe(false);
  });

  it('reads from an offset, at most LIMITS.fileChunkBytes at a time, 0 for only the size', () => {
    expect(FileReadParams.parse({ number: 3, path: 'a.txt' })).toEqual({ number: 3, path: 'a.txt' });
    expect(FileReadParams.safeParse({ number: 3, path: 'a.txt', offset: 10, length: 0 }).success).toBe(true);
    expect(FileReadParams.safeParse({ number: 3, path: 'a.txt', length: LIMITS.fileChunkBytes }).success).toBe(true);
    expect(FileReadParams.safeParse({ number: 3, path: 'a.txt', length: LIMITS.fileChunkBytes + 1 }).success).toBe(false);
    expect(FileReadParams.safeParse({ number: 3, path: 'a.txt', offset: -1 }).success).toBe(false);
  });

  it('answers a chunk with where it starts, the whole size, eof and mtime', () => {
    const chunk = { data: 'aGk=', offset: 0, size: 2, eof: true, mtime: '2026-01-01T00:00:00.000Z' };
    expect(FileReadResult.parse(chunk)).toEqual(chunk);
    expect(FileReadResult.safeParse({ ...chunk, mtime: undefined }).success).toBe(false);
  });
});
