import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileLogger, REDACTED, redact } from './logger.js';

// The daemon log: JSON lines on disk, private to the user, with secrets redacted first.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('redact', () => {
  it('hides values under secret-looking keys at any depth', () => {
    const out = redact({ token: 'abc', nested: { apiKey: 'k', password: 'p', list: [{ Authorization: 'x' }] }, name: 'ok' });
    expect(out).toEqual({ token: REDACTED, nested: { apiKey: REDACTED, password: REDACTED, list: [{ Authorization: REDACTED }] }, name: 'ok' });
  });

  it('hides well-known token shapes inside ordinary strings', () => {
    const text = 'key sk-ant-api03-abcdefghijklmnopqrstuv and ghp_abcdefghijklmnopqrstuvwxyz0123 and Bearer eyJhbGciOi.payload.sig AKIAABCDEFGHIJKLMNOP';
    const out = redact(text) as string;
    expect(out).not.toMatch(/sk-ant|ghp_|eyJ|AKIA/);
    expect(out.split(REDACTED)).toHaveLength(5);
  });

  it('keeps errors readable while redacting their messages', () => {
    const out = redact(new Error('bad token sk-abcdefghijklmnopqrstuvwx')) as { name: string; message: string };
    expect(out.name).toBe('Error');
    expect(out.message).toBe(`bad token ${REDACTED}`);
  });
});

describe('FileLogger', () => {
  it('appends one JSON object per line, private to the user, with secrets redacted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibe-log-'));
    dirs.push(dir);
    const file = join(dir, 'daemon.log');
    const logger = new FileLogger(file, 'info');
    logger.debug('hidden at info level');
    logger.info('hello', { secret: 's3cret', count: 2 });
    logger.error('boom', { error: new Error('x') });
    logger.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.msg)).toEqual(['hello', 'boom']);
    expect(lines[0]).toMatchObject({ level: 'info', secret: REDACTED, count: 2 });
    expect(Date.parse(String(lines[0]!.time))).not.toBeNaN();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("rotates to <file>.1 in place, so the daemon's stderr (the same file) keeps writing into the live log", () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibe-log-'));
    dirs.push(dir);
    const file = join(dir, 'daemon.log');
    const logger = new FileLogger(file, 'info', 1000);
    const stderr = openSync(file, 'a'); // as `vibe up` hands the daemon its stderr
    for (let i = 0; i < 12; i++) logger.info(`line ${i}`, { padding: 'x'.repeat(60) });
    writeSync(stderr, 'a native crash message\n');
    logger.info('after');
    closeSync(stderr);
    logger.close();
    const live = readFileSync(file, 'utf8');
    const old = readFileSync(`${file}.1`, 'utf8');
    expect(live).toContain('a native crash message');
    expect(live).toContain('"after"');
    expect(old).toContain('line 0');
    expect(old).not.toContain('a native crash message');
    expect(statSync(file).size).toBeLessThan(1000);
    // Every line is whole: nothing written at a stale offset into a hole of NUL bytes.
    expect(live).not.toContain('\0');
    expect(statSync(`${file}.1`).mode & 0o777).toBe(0o600);
  });
});
