// Reads `--description -` from standard input: bounded, and strictly UTF-8.
import { LIMITS } from '@vibe/protocol';
import { UsageError } from './errors.js';
import { say } from './output.js';
import { checkDescription, descriptionTooLong } from './task-text.js';

/** The most bytes a description within the limit can take: 4 per code point, plus the CRLF dropped at the end. */
export const MAX_DESCRIPTION_BYTES = LIMITS.descriptionMax * 4 + 2;

export interface TextInput extends AsyncIterable<Uint8Array> {
  isTTY?: boolean;
}

/**
 * Reads `input` to its end and decodes it as UTF-8; undefined, with the rest left unread, once more than
 * `maxBytes` arrived — that text is refused anyway, and a runaway pipe would never end. Invalid UTF-8 is a
 * usage error: decoding it leniently would store U+FFFD in place of what the user sent, without a word.
 */
export async function readBoundedText(input: AsyncIterable<Uint8Array>, maxBytes: number, what: string): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += chunk.byteLength;
    // Leaving the loop early ends the iteration, which destroys a Node stream: the writer gets EPIPE.
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch (error) {
    throw new UsageError(`${what} is not valid UTF-8`, { cause: error });
  }
}

/**
 * The description option's value, checked against the limit: `-` means stdin, where a trailing newline from
 * `echo` or a heredoc is dropped.
 */
export async function descriptionValue(value: string | undefined, input: TextInput = process.stdin): Promise<string | undefined> {
  if (value === undefined) return undefined;
  if (value !== '-') return checkDescription(value);
  if (input.isTTY) say('reading the description from the terminal; end it with Ctrl-D');
  const text = await readBoundedText(input, MAX_DESCRIPTION_BYTES, 'the description on standard input');
  if (text === undefined) throw descriptionTooLong();
  return checkDescription(text.replace(/\r?\n$/, ''));
}
