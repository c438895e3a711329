// Makes text that came from users (titles, descriptions, names, log fields) safe to print on a terminal.
//
// Anything a terminal would act on instead of show becomes a visible escape: C0 controls, DEL and C1
// controls (so no OSC 52 clipboard writes, cursor moves or title changes), and the bidi overrides and
// isolates that can make text read differently from what it is ("Trojan Source"). Everything else is kept
// as is, emoji, combining marks and CJK included. Backslashes are not doubled: `\x1b` typed by a user and
// an escaped ESC look alike, which costs nothing on a terminal and keeps Windows paths readable. `--json`
// output never goes through here; it carries the exact text.

// C0, DEL, C1, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_MULTILINE = /\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\0': '\\0', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export interface EscapeOptions {
  /** Keep line feeds and tabs (for description bodies); CRLF becomes LF and a lone CR is still escaped. */
  multiline?: boolean;
}

/** Returns `text` with every character a terminal would interpret replaced by a visible escape. */
export function escapeText(text: string, options: EscapeOptions = {}): string {
  if (options.multiline) return text.replace(UNSAFE_MULTILINE, (match) => (match === '\r\n' ? '\n' : escapeChar(match)));
  return text.replace(UNSAFE, escapeChar);
}

function escapeChar(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code < 0x80 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}
