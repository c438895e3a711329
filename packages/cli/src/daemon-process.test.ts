// Reading the daemon's readiness line, and the environment it is spawned with.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { daemonEnv, parseReady, readLine } from './daemon-process.js';
import { CliError } from './errors.js';

describe('parseReady', () => {
  it('reads ready, running and error lines', () => {
    expect(parseReady('{"status":"ready","pid":12}')).toEqual({ status: 'ready', pid: 12 });
    expect(parseReady('{"status":"running","pid":7}')).toEqual({ status: 'running', pid: 7 });
    expect(parseReady('{"status":"error","message":"database is locked"}')).toEqual({ status: 'error', message: 'database is locked' });
  });

  it('accepts running without a pid', () => {
    expect(parseReady('{"status":"running"}')).toEqual({ status: 'running' });
  });

  it('refuses a ready line without a pid, or anything else', () => {
    expect(() => parseReady('{"status":"ready"}')).toThrow(CliError);
    expect(() => parseReady('hello')).toThrow(CliError);
    expect(() => parseReady('{"status":"maybe"}')).toThrow(CliError);
  });
});

describe('readLine', () => {
  it('resolves with the first line, however it is split', async () => {
    const stream = new PassThrough();
    const line = readLine(stream, 1000);
    stream.write('{"status":');
    stream.write('"ready","pid":1}\nignored');
    await expect(line).resolves.toBe('{"status":"ready","pid":1}');
  });

  it('resolves with the text when the stream ends without a newline', async () => {
    const stream = new PassThrough();
    const line = readLine(stream, 1000);
    stream.end('{"status":"running"}');
    await expect(line).resolves.toBe('{"status":"running"}');
  });

  it('resolves undefined when the stream ends empty (the daemon died first)', async () => {
    const stream = new PassThrough();
    const line = readLine(stream, 1000);
    stream.end();
    await expect(line).resolves.toBeUndefined();
  });

  it('rejects when nothing arrives in time', async () => {
    await expect(readLine(new PassThrough(), 20)).rejects.toThrow('timed out');
  });
});

describe('daemonEnv', () => {
  it('passes the environment on with the readiness fd and VIBE_HOME as the absolute path this process resolved', () => {
    const env = daemonEnv({ PATH: '/bin', VIBE_HOME: 'rel/home' }, { home: '/work/rel/home' }, '/v/relay/main.js');
    expect(env).toEqual({ PATH: '/bin', VIBE_HOME: '/work/rel/home', VIBE_RELAY_ENTRY: '/v/relay/main.js', VIBE_DAEMON_READY_FD: '3' });
  });

  it('adds no VIBE_HOME when none is set', () => {
    expect(daemonEnv({ PATH: '/bin' }, { home: null }, '/v/relay/main.js')).toEqual({ PATH: '/bin', VIBE_RELAY_ENTRY: '/v/relay/main.js', VIBE_DAEMON_READY_FD: '3' });
  });

  it('names the relay built into this vibe, over one another vibe left in the environment', () => {
    expect(daemonEnv({ VIBE_RELAY_ENTRY: '/old/relay/main.js' }, { home: null }, '/v/relay/main.js').VIBE_RELAY_ENTRY).toBe('/v/relay/main.js');
    expect(daemonEnv({}, { home: null }).VIBE_RELAY_ENTRY).toMatch(/\/cli\/dist\/relay\/main\.js$/);
  });
});
