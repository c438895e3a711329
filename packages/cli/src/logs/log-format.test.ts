// Parsing daemon log lines and printing them for people, escaped.
import { describe, expect, it } from 'vitest';
import { palette } from '../terminal.js';
import { formatLogEntry, parseLogLine } from './log-format.js';

const plain = palette(false);

describe('parseLogLine', () => {
  it('reads a JSON object', () => {
    expect(parseLogLine('{"time":"t","level":"info","msg":"hi"}')).toEqual({ time: 't', level: 'info', msg: 'hi' });
  });

  it('keeps other lines as raw text', () => {
    expect(parseLogLine('not json')).toEqual({ raw: 'not json' });
    expect(parseLogLine('[1,2]')).toEqual({ raw: '[1,2]' });
  });
});

describe('formatLogEntry', () => {
  it('prints time, level, message and fields', () => {
    const entry = { time: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'daemon started', pid: 12, socket: '/run/vibe.sock' };
    expect(formatLogEntry(entry, plain)).toBe('2026-01-02T03:04:05.000Z info  daemon started pid=12 socket=/run/vibe.sock');
  });

  it('quotes string values with spaces or quotes, and writes objects as JSON', () => {
    const entry = { time: 't', level: 'warn', msg: 'm', reason: 'two words', error: { code: 'EADDRINUSE' } };
    expect(formatLogEntry(entry, plain)).toBe('t warn  m reason="two words" error={"code":"EADDRINUSE"}');
  });

  it('escapes control characters in messages and values', () => {
    const entry = { time: 't', level: 'info', msg: 'title \x1b]52;c;aGk=\x07', title: 'x\u202ey' };
    const line = formatLogEntry(entry, plain);
    expect(line).toContain('title \\x1b]52;c;aGk=\\x07');
    expect(line).toContain('title=x\\u202ey');
    expect(line).not.toMatch(/[\x00-\x1f\u202e]/);
  });

  it('prints raw lines escaped', () => {
    expect(formatLogEntry({ raw: 'plain \x1b[2J text' }, plain)).toBe('plain \\x1b[2J text');
  });

  it('colours errors red on a colour terminal', () => {
    expect(formatLogEntry({ time: 't', level: 'error', msg: 'boom' }, palette(true))).toContain('\x1b[31merror\x1b[39m');
  });

  it('copes with missing fields', () => {
    expect(formatLogEntry({ msg: 'only a message' }, plain)).toBe('- -     only a message');
  });
});
