// `vibe project set` input: the instructions file and its limits, the setup command, max sessions.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { checkSetup, INSTRUCTIONS_MAX, parseMaxSessions, readInstructions } from './project-settings-input.js';

const dir = mkdtempSync(join(tmpdir(), 'vibe-instructions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('readInstructions', () => {
  it('reads a file verbatim, trailing newline and all', async () => {
    expect(await readInstructions(file('ok.md', '# Rules\n\nUse pnpm.\n'))).toBe('# Rules\n\nUse pnpm.\n');
  });

  it('reads standard input for "-"', async () => {
    expect(await readInstructions('-', Readable.from([Buffer.from('from a pipe\n')]))).toBe('from a pipe\n');
  });

  it('says clearly when the file is missing, a directory or unreadable', async () => {
    await expect(readInstructions(join(dir, 'nope.md'))).rejects.toThrow(new UsageError(`the instructions file ${join(dir, 'nope.md')} does not exist`));
    mkdirSync(join(dir, 'sub'));
    await expect(readInstructions(join(dir, 'sub'))).rejects.toThrow(/is a directory/);
    if (process.getuid?.() !== 0) {
      const locked = file('locked.md', 'x');
      chmodSync(locked, 0);
      await expect(readInstructions(locked)).rejects.toThrow(/permission denied/);
    }
  });

  it('refuses text over the limit, counted in characters, and a file far too big without reading it all', async () => {
    await expect(readInstructions(file('long.md', 'x'.repeat(INSTRUCTIONS_MAX + 1)))).rejects.toThrow(`longer than ${INSTRUCTIONS_MAX} characters`);
    expect(await readInstructions(file('emoji.md', '😀'.repeat(INSTRUCTIONS_MAX)))).toHaveLength(INSTRUCTIONS_MAX * 2);
    let served = 0;
    const endless = (async function* () {
      for (;;) {
        served += 65_536;
        yield new Uint8Array(65_536);
      }
    })();
    await expect(readInstructions('big', undefined, () => endless)).rejects.toThrow(/longer than/);
    expect(served).toBeLessThan(INSTRUCTIONS_MAX * 4 + 2 * 65_536);
  });

  it('refuses a file that is not UTF-8', async () => {
    await expect(readInstructions(file('latin1.md', Buffer.from('caf\xe9', 'latin1')))).rejects.toThrow(/is not valid UTF-8/);
  });

  it('escapes the file name in messages', async () => {
    await expect(readInstructions(join(dir, 'x\x1b[2J'))).rejects.toThrow('x\\x1b[2J does not exist');
  });
});

describe('checkSetup', () => {
  it('keeps a command as written and refuses a blank or over-long one', () => {
    expect(checkSetup('npm ci && npm run build')).toBe('npm ci && npm run build');
    expect(() => checkSetup('  ')).toThrow('--no-setup removes the setup step');
    expect(() => checkSetup('x'.repeat(10_001))).toThrow('longer than 10000 characters');
  });
});

describe('parseMaxSessions', () => {
  it.each([['1', 1], ['8', 8], [' 64 ', 64]])('reads %j as %d', (text, value) => {
    expect(parseMaxSessions(text)).toBe(value);
  });

  it.each(['0', '65', '2.5', 'many', '-3', ''])('refuses %j', (text) => {
    expect(() => parseMaxSessions(text)).toThrow(/--max-sessions expects a whole number from 1 to 64/);
  });
});
