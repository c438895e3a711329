// The daemon's log: JSON lines appended to a file, with secrets redacted before they reach the disk.
import { closeSync, copyFileSync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const nullLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const SECRET_KEY = /(pass(word|wd)?|secret|token|authorization|cookie|api[-_]?key|private[-_]?key|credential)/i;
const SECRET_VALUES = [
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI / Anthropic style keys
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack tokens
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google API keys
  /(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];
export const REDACTED = '[redacted]';

/** Returns a copy of `value` with secret-looking keys and values replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return SECRET_VALUES.reduce((text, pattern) => text.replace(pattern, REDACTED), value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message), stack: redact(value.stack) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== null && item !== undefined ? REDACTED : redact(item, depth + 1);
  }
  return out;
}

const ROTATE_BYTES = 10 * 1024 * 1024;

/**
 * Appends synchronously, so the last lines before a crash are on disk. Rotates once to `<file>.1` at 10 MiB,
 * by copying and truncating in place: the daemon's stderr is the same file (opened for appending by
 * `vibe up`), and a rename would leave it writing into `<file>.1` for the rest of the daemon's life.
 */
export class FileLogger implements Logger {
  private readonly fd: number;
  private written = 0;

  constructor(
    private readonly path: string,
    private readonly minLevel: LogLevel = 'info',
    private readonly rotateBytes = ROTATE_BYTES,
  ) {
    this.fd = openSync(path, 'a', 0o600);
    this.written = statSync(path).size;
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.write('error', msg, fields);
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (LEVELS[level] < LEVELS[this.minLevel]) return;
    const entry = { time: new Date().toISOString(), level, msg: redact(msg), ...(fields && (redact(fields) as object)) };
    const line = `${JSON.stringify(entry)}\n`;
    if (this.written + line.length > this.rotateBytes) this.rotate();
    this.written += writeSync(this.fd, line);
  }

  private rotate(): void {
    copyFileSync(this.path, `${this.path}.1`);
    // Every writer appends (O_APPEND), so after the truncation each writes at the new end: the start.
    ftruncateSync(this.fd);
    this.written = 0;
  }
}
