// Reads `vibe project set` options: the instructions file (or stdin), the setup command and max sessions,
// checked against the protocol's limits before anything is sent.
import { createReadStream } from 'node:fs';
import { LIMITS } from '@vibe/protocol';
import { UsageError } from './errors.js';
import { escapeText } from './escape.js';
import { say } from './output.js';
import { readBoundedText, type TextInput } from './stdin.js';
import { longerThan } from './task-text.js';

/** As the project.update schema bounds them (ProjectSettings in protocol/src/messages/project.ts). */
export const SETUP_MAX = LIMITS.setupMax;
export const MAX_SESSIONS_LIMIT = LIMITS.maxSessionsMax;
export const INSTRUCTIONS_MAX = LIMITS.descriptionMax;

export function parseMaxSessions(text: string): number {
  const value = /^[0-9]+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_SESSIONS_LIMIT) {
    throw new UsageError(`--max-sessions expects a whole number from 1 to ${MAX_SESSIONS_LIMIT}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function checkSetup(command: string): string {
  if (command.trim() === '') throw new UsageError('--setup needs a command; --no-setup removes the setup step');
  if (longerThan(command, SETUP_MAX)) throw new UsageError(`the setup command is longer than ${SETUP_MAX} characters`);
  return command;
}

/** Opens a file as a byte stream; injected so tests need no files. */
export type OpenFile = (path: string) => AsyncIterable<Uint8Array>;

const openFile: OpenFile = (path) => createReadStream(path);

/**
 * The text of `--instructions FILE`, `-` being standard input, kept verbatim. Reads at most what a text
 * within the limit could take, so pointing it at a huge file (or /dev/zero) fails fast.
 */
export async function readInstructions(file: string, input: TextInput = process.stdin, open: OpenFile = openFile): Promise<string> {
  const name = file === '-' ? 'standard input' : escapeText(file);
  const maxBytes = INSTRUCTIONS_MAX * 4;
  let text: string | undefined;
  if (file === '-') {
    if (input.isTTY) say('reading the instructions from the terminal; end them with Ctrl-D');
    text = await readBoundedText(input, maxBytes, 'the instructions on standard input');
  } else {
    try {
      text = await readBoundedText(open(file), maxBytes, `the instructions file ${name}`);
    } catch (error) {
      throw fileError(error, name);
    }
  }
  if (text === undefined || longerThan(text, INSTRUCTIONS_MAX)) {
    throw new UsageError(`the instructions in ${name} are longer than ${INSTRUCTIONS_MAX} characters`);
  }
  return text;
}

function fileError(error: unknown, name: string): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return new UsageError(`the instructions file ${name} does not exist`, { cause: error });
    case 'EISDIR':
      return new UsageError(`the instructions file ${name} is a directory`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new UsageError(`the instructions file ${name} cannot be read: permission denied`, { cause: error });
    default:
      return error;
  }
}
