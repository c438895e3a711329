// Reading `--description -`: the byte bound, strict UTF-8, the limit in code points and the trailing newline.
import { Readable } from 'node:stream';
import { LIMITS } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { descriptionValue, MAX_DESCRIPTION_BYTES, readBoundedText } from './stdin.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const input = (...chunks: Array<string | Uint8Array>): Readable => Readable.from(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));

describe('readBoundedText', () => {
  it('joins chunks, keeping a character split across them whole', async () => {
    const euro = Buffer.from('€');
    expect(await readBoundedText(input('a', euro.subarray(0, 1), euro.subarray(1), 'b'), 100, 'it')).toBe('a€b');
  });

  it('refuses invalid UTF-8 as a usage error instead of turning it into U+FFFD', async () => {
    const read = readBoundedText(input('caf', bytes(0xe9), '!'), 100, 'the description on standard input');
    await expect(read).rejects.toThrow(UsageError);
    await expect(readBoundedText(input('caf', bytes(0xe9)), 100, 'the description on standard input')).rejects.toThrow(
      'the description on standard input is not valid UTF-8',
    );
  });

  it('stops reading once past the bound, so an endless input ends', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield new Uint8Array(1000);
      }
    }
    expect(await readBoundedText(endless(), 10_000, 'it')).toBeUndefined();
    expect(pulled).toBe(11);
  });
});

describe('descriptionValue', () => {
  it('passes an inline description through and reads stdin for -, dropping one trailing newline', async () => {
    expect(await descriptionValue(undefined, input())).toBeUndefined();
    expect(await descriptionValue('inline', input())).toBe('inline');
    expect(await descriptionValue('-', input('line one\nline two\r\n'))).toBe('line one\nline two');
    expect(await descriptionValue('-', input('two\n\n'))).toBe('two\n');
  });

  it('accepts exactly the limit in four-byte characters, the most bytes a valid description takes', async () => {
    const text = '🧑'.repeat(LIMITS.descriptionMax);
    expect(Buffer.byteLength(`${text}\r\n`)).toBe(MAX_DESCRIPTION_BYTES);
    expect(await descriptionValue('-', input(`${text}\r\n`))).toBe(text);
  });

  it('refuses one code point over the limit, on stdin or inline, with the daemon\'s wording', async () => {
    const message = `description is longer than ${LIMITS.descriptionMax} characters`;
    await expect(descriptionValue('-', input('d'.repeat(LIMITS.descriptionMax + 1)))).rejects.toThrow(message);
    await expect(descriptionValue('d'.repeat(LIMITS.descriptionMax + 1), input())).rejects.toThrow(new UsageError(message));
    await expect(descriptionValue('-', input('d'.repeat(2_000_000)))).rejects.toThrow(message);
  });
});
