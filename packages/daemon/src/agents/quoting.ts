// Quoting for the few places an argv has to become text another program parses: sh (Claude Code hook
// commands), TOML (codex `-c` overrides) and gitignore patterns (info/exclude).
import { ProtocolError } from '@vibe/protocol';

/** One sh word that expands to exactly `value`: single-quoted, with embedded quotes spliced as '\''. */
export function shQuote(value: string): string {
  if (value.includes('\0')) throw new ProtocolError('invalid_params', 'a command argument cannot contain a NUL byte');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one sh command line, every element quoted (even ones that look safe). */
export function shCommand(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}

/** A TOML basic string: quotes, backslashes and control characters escaped; lone surrogates refused. */
export function tomlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) throw new ProtocolError('invalid_params', 'a TOML string cannot hold a lone surrogate');
    else out += ch;
  }
  return `${out}"`;
}

/** A TOML array of strings, e.g. `["node","/x/hook.js","idle"]`. */
export function tomlArray(values: readonly string[]): string {
  return `[${values.map(tomlString).join(',')}]`;
}

/** A root-anchored gitignore pattern matching exactly the file `rel` (glob characters escaped). */
export function ignorePattern(rel: string): string {
  return `/${rel.replace(/[\\*?[]/g, (ch) => `\\${ch}`)}`;
}
