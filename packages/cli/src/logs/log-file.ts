// The tail of the log file, and following it as it grows (surviving truncation and rotation).
import { open, stat } from 'node:fs/promises';

const CHUNK = 64 * 1024;
/** Most bytes read per poll while following, so a burst of output is handled in bounded pieces. */
const READ_MAX = 1024 * 1024;

export interface Tail {
  /** The last complete lines, oldest first. */
  lines: string[];
  /** Byte offset just past the last complete line: where following continues. */
  end: number;
}

/** Reads only as much of the end of the file as the last `count` complete lines need. */
export async function readLastLines(path: string, count: number): Promise<Tail> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    let position = size;
    let buffer = Buffer.alloc(0);
    // Stop once we hold count+1 newlines (the extra one bounds the first line) or reach the start.
    while (position > 0 && countNewlines(buffer) <= count) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await file.read(chunk, 0, length, position);
      buffer = Buffer.concat([chunk, buffer]);
    }
    const lastNewline = buffer.lastIndexOf(0x0a);
    if (lastNewline === -1) return { lines: [], end: position };
    const complete = buffer.subarray(0, lastNewline).toString('utf8').split('\n');
    // Unless we reached the start, the first piece may be a cut-off line.
    if (position > 0) complete.shift();
    const lines = complete.filter((line) => line !== '');
    return { lines: count === 0 ? [] : lines.slice(-count), end: position + lastNewline + 1 };
  } finally {
    await file.close();
  }
}

function countNewlines(buffer: Buffer): number {
  let n = 0;
  for (let i = buffer.indexOf(0x0a); i !== -1; i = buffer.indexOf(0x0a, i + 1)) n++;
  return n;
}

export interface FollowOptions {
  from: number;
  signal: AbortSignal;
  onLine(line: string): void;
  /** Called when the file shrank or was replaced and reading starts again from its beginning. */
  onRestart?(): void;
  pollMs?: number;
}

/** Polls the file for appended complete lines until `signal` aborts. */
export async function followFile(path: string, options: FollowOptions): Promise<void> {
  let position = options.from;
  let inode = (await stat(path)).ino;
  // Bytes after the last newline read so far: a line still being written, possibly mid-character.
  let pending = Buffer.alloc(0);
  const pollMs = options.pollMs ?? 200;
  while (!options.signal.aborted) {
    const info = await stat(path).catch(() => undefined);
    if (info && (info.ino !== inode || info.size < position)) {
      inode = info.ino;
      position = 0;
      pending = Buffer.alloc(0);
      options.onRestart?.();
    }
    if (info && info.size > position) {
      const chunk = Buffer.alloc(Math.min(info.size - position, READ_MAX));
      const file = await open(path, 'r');
      let bytesRead: number;
      try {
        ({ bytesRead } = await file.read(chunk, 0, chunk.length, position));
      } finally {
        await file.close();
      }
      position += bytesRead;
      const data = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
      const lastNewline = data.lastIndexOf(0x0a);
      pending = data.subarray(lastNewline + 1);
      if (lastNewline !== -1) {
        for (const line of data.subarray(0, lastNewline).toString('utf8').split('\n')) if (line !== '') options.onLine(line);
      }
      if (bytesRead > 0) continue;
    }
    await sleep(pollMs, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
