// The detach key of `vibe attach`: parsed from `--detach-key` or VIBE_DETACH_KEY, and found in what the keyboard sends.
import { UsageError } from '../errors.js';

export const DEFAULT_DETACH_KEY = 'ctrl-]';

export interface DetachKey {
  /** As people write it: "ctrl-]". */
  name: string;
  /** The control byte a terminal sends for it: 0x1d for Ctrl-]. */
  byte: number;
  /** The key's code point in the kitty keyboard protocol and xterm's modifyOtherKeys: 93 for "]". */
  code: number;
}

/** Keys that are also Esc, Tab, Enter and Line Feed: taking them would break arrows, completion and Enter. */
const RESERVED = new Map([
  [0x1b, 'it is Esc, which starts every arrow and function key'],
  [0x09, 'it is Tab'],
  [0x0d, 'it is Enter'],
  [0x0a, 'it is Line Feed (Enter in some terminals)'],
]);

/**
 * Reads "ctrl-]", "ctrl+q", "C-q" or "^Q" (case-insensitive): Ctrl with a letter or one of @ [ \ ] ^ _.
 * `source` names where the text came from, for the error.
 */
export function parseDetachKey(text: string, source = '--detach-key'): DetachKey {
  const match = /^(?:ctrl[-+]|c-|\^)(.)$/i.exec(text.trim());
  const char = match?.[1]?.toLowerCase();
  if (char === undefined || !/^[a-z@[\\\]^_]$/.test(char)) {
    throw new UsageError(`${source}: invalid detach key ${JSON.stringify(text)}: use Ctrl and a letter or one of @ [ \\ ] ^ _, like ctrl-] or ctrl-q`);
  }
  const byte = char.toUpperCase().charCodeAt(0) & 0x1f;
  const reserved = RESERVED.get(byte);
  if (reserved) throw new UsageError(`${source}: ${text.trim()} cannot be the detach key: ${reserved}`);
  return { name: `ctrl-${char}`, byte, code: char.charCodeAt(0) };
}

/** `--detach-key` wins over VIBE_DETACH_KEY, which wins over Ctrl-]. */
export function detachKeyFrom(option: string | undefined, env: Record<string, string | undefined> = process.env): DetachKey {
  if (option !== undefined) return parseDetachKey(option, '--detach-key');
  const fromEnv = env.VIBE_DETACH_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return parseDetachKey(fromEnv, 'VIBE_DETACH_KEY');
  return parseDetachKey(DEFAULT_DETACH_KEY);
}

export interface DetachKeyHit {
  /** Where the key starts in the chunk: the bytes before it are keystrokes meant for the session. */
  index: number;
}

/**
 * Finds the detach key in a chunk read from the terminal. Besides the plain control byte, it recognises
 * the key as terminals encode it once an agent turned on the kitty keyboard protocol (CSI 93;5u, with an
 * optional press event type) or xterm's modifyOtherKeys (CSI 27;5;93~) — those modes reach the user's
 * terminal through the session's output, and the key must still detach.
 */
export function findDetachKey(chunk: Uint8Array, key: DetachKey): DetachKeyHit | undefined {
  const plain = chunk.indexOf(key.byte);
  // The encoded forms start with ESC: a chunk without one (nearly every key typed) needs no search.
  const encoded = chunk.includes(0x1b) ? encodedPattern(key).exec(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1')) : null;
  const indexes = [plain, encoded?.index ?? -1].filter((index) => index !== -1);
  return indexes.length === 0 ? undefined : { index: Math.min(...indexes) };
}

/** The key's encoded forms, compiled once per key rather than once per chunk read from the terminal. */
const encodedPatterns = new WeakMap<DetachKey, RegExp>();

function encodedPattern(key: DetachKey): RegExp {
  let pattern = encodedPatterns.get(key);
  if (!pattern) {
    pattern = new RegExp(`\\x1b\\[(?:${key.code}(?::\\d*)*;5(?::1)?u|27;5;${key.code}~)`);
    encodedPatterns.set(key, pattern);
  }
  return pattern;
}
