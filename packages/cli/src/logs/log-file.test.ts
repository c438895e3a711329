// Reading the last lines of the daemon log and following it as it grows.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followFile, readLastLines } from './log-file.js';

const dir = mkdtempSync(join(tmpdir(), 'vibe-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const file = (content: string): string => {
  const path = join(dir, `log-${counter++}`);
  writeFileSync(path, content);
  return path;
};

describe('readLastLines', () => {
  it('returns the last N complete lines and where they end', async () => {
    const path = file('one\ntwo\nthree\n');
    expect(await readLastLines(path, 2)).toEqual({ lines: ['two', 'three'], end: 14 });
  });

  it('returns every line when there are fewer than N', async () => {
    expect((await readLastLines(file('one\ntwo\n'), 50)).lines).toEqual(['one', 'two']);
  });

  it('leaves out a last line still being written', async () => {
    const tail = await readLastLines(file('one\ntwo\npart'), 5);
    expect(tail).toEqual({ lines: ['one', 'two'], end: 8 });
  });

  it('returns nothing for -n 0 but still knows the end', async () => {
    expect(await readLastLines(file('one\ntwo\n'), 0)).toEqual({ lines: [], end: 8 });
  });

  it('handles an empty file', async () => {
    expect(await readLastLines(file(''), 10)).toEqual({ lines: [], end: 0 });
  });

  it('reads only the end of a large file, across chunk boundaries', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"msg":"line ${i} ${'x'.repeat(40)}"}`);
    const tail = await readLastLines(file(`${lines.join('\n')}\n`), 3000);
    expect(tail.lines).toEqual(lines.slice(-3000));
  });

  it('keeps multi-byte characters whole', async () => {
    expect((await readLastLines(file('日本語\n🌙 moon\n'), 1)).lines).toEqual(['🌙 moon']);
  });

  it('rejects with ENOENT for a missing file', async () => {
    await expect(readLastLines(join(dir, 'missing'), 5)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('followFile', () => {
  it('delivers appended lines, holding back a partial one until it is complete', async () => {
    const path = file('old\n');
    const seen: string[] = [];
    const controller = new AbortController();
    const following = followFile(path, {
      from: 4,
      signal: controller.signal,
      pollMs: 10,
      onLine: (line) => {
        seen.push(line);
        if (line === 'third') controller.abort();
      },
    });
    appendFileSync(path, 'first\nsec');
    await new Promise((resolve) => setTimeout(resolve, 50));
    appendFileSync(path, 'ond\nthird\n');
    await following;
    expect(seen).toEqual(['first', 'second', 'third']);
  });

  it('starts again from the top when the file is truncated', async () => {
    const path = file('a long first line\n');
    const seen: string[] = [];
    let restarts = 0;
    const controller = new AbortController();
    const following = followFile(path, {
      from: 18,
      signal: controller.signal,
      pollMs: 10,
      onRestart: () => restarts++,
      onLine: (line) => {
        seen.push(line);
        controller.abort();
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeFileSync(path, 'new\n');
    await following;
    expect(restarts).toBe(1);
    expect(seen).toEqual(['new']);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const following = followFile(file(''), { from: 0, signal: controller.signal, pollMs: 1000, onLine: () => {} });
    controller.abort();
    await expect(following).resolves.toBeUndefined();
  });
});
