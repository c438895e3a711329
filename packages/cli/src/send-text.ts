// Reads what `vibe send` types: the text argument, or standard input for `-`, within the protocol's limit.
import { LIMITS } from '@vibe/protocol';
import { UsageError } from './errors.js';
import { say } from './output.js';
import { readBoundedText, type TextInput } from './stdin.js';
import { longerThan } from './task-text.js';

/** As session.send bounds it (SessionSendParams in protocol/src/messages/session.ts), in characters. */
export const SEND_MAX = LIMITS.sendTextMax;

export interface SendArguments {
  /** The task or `s<N>` id; undefined with --session. */
  id: string | undefined;
  text: string | undefined;
}

/**
 * Sorts out `vibe send ID TEXT` and `vibe send --session N TEXT`: with --session the one positional is
 * the text. Text may be left out only with --enter (just press Enter).
 */
export function sendArguments(first: string, second: string | undefined, options: { session?: string; enter?: boolean }): SendArguments {
  if (options.session !== undefined) {
    if (second !== undefined) throw new UsageError('with --session, give only the text: vibe send --session N "text"');
    return { id: undefined, text: first };
  }
  if (second === undefined && !options.enter) throw new UsageError('nothing to send: give the text ("-" reads it from stdin), or --enter');
  return { id: first, text: second };
}

/**
 * The text to type. `-` reads standard input, where one trailing newline (from `echo` or a heredoc) is
 * dropped: Enter is what --enter is for. Anything else is typed exactly, control characters included.
 */
export async function sendText(text: string | undefined, input: TextInput = process.stdin): Promise<string> {
  if (text === undefined) return '';
  let value = text;
  if (text === '-') {
    if (input.isTTY) say('reading the text from the terminal; end it with Ctrl-D');
    const read = await readBoundedText(input, SEND_MAX * 4 + 2, 'the text on standard input');
    if (read === undefined) throw tooLong();
    value = read.replace(/\r?\n$/, '');
  }
  if (longerThan(value, SEND_MAX)) throw tooLong();
  return value;
}

function tooLong(): UsageError {
  return new UsageError(`the text is longer than ${SEND_MAX} characters; send it in parts`);
}
