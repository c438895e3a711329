// Reads the daemon's JSON-lines log and renders entries as `time level msg key=value…`, escaped.
import { escapeText } from '../escape.js';
import type { Palette } from '../terminal.js';

/** One log entry as written by the daemon; lines that are not JSON objects are kept as `{ raw }`. */
export type LogEntry = { time?: unknown; level?: unknown; msg?: unknown; [key: string]: unknown };

export function parseLogLine(line: string): LogEntry {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as LogEntry;
  } catch {
    // not JSON: keep the text
  }
  return { raw: line };
}

export function formatLogEntry(entry: LogEntry, colors: Palette): string {
  if (Object.keys(entry).length === 1 && typeof entry.raw === 'string') return escapeText(entry.raw);
  const { time, level, msg, ...fields } = entry;
  const levelText = typeof level === 'string' ? level : level === undefined ? '-' : JSON.stringify(level);
  const parts = [
    colors.dim(escapeText(typeof time === 'string' ? time : String(time ?? '-'))),
    levelStyle(levelText, colors)(escapeText(levelText).padEnd(5)),
    escapeText(typeof msg === 'string' ? msg : JSON.stringify(msg ?? '')),
  ];
  for (const [key, value] of Object.entries(fields)) parts.push(`${colors.dim(`${escapeText(key)}=`)}${formatValue(value)}`);
  return parts.join(' ');
}

/** Strings bare unless they need quoting; everything else as JSON. */
function formatValue(value: unknown): string {
  if (typeof value === 'string') return escapeText(value === '' || /[\s="\\]/.test(value) ? JSON.stringify(value) : value);
  return escapeText(JSON.stringify(value) ?? String(value));
}

function levelStyle(level: string, colors: Palette): (text: string) => string {
  switch (level) {
    case 'fatal':
    case 'error':
      return colors.red;
    case 'warn':
      return colors.yellow;
    case 'debug':
    case 'trace':
      return colors.dim;
    default:
      return (text) => text;
  }
}
