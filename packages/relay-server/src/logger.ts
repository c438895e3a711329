// The relay's log: one JSON object per line. Callers pass ids, counts, codes and addresses, never payload bytes,
// keys or signatures; the relay never sees a link secret (it travels in URL fragments).
import type { Writable } from 'node:stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface RelayLogger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

export const nullLogger: RelayLogger = { log() {} };

/** JSON lines on `stream`: `msg` first (a supervisor reads the first line), then the fields, level and time. */
export function jsonLogger(stream: Writable = process.stdout, minLevel: LogLevel = 'info'): RelayLogger {
  const min = LEVELS[minLevel];
  return {
    log(level, msg, fields = {}) {
      if (LEVELS[level] < min) return;
      stream.write(`${JSON.stringify({ msg, ...fields, level, time: new Date().toISOString() })}\n`);
    },
  };
}

export function isLogLevel(value: string): value is LogLevel {
  return value in LEVELS;
}
