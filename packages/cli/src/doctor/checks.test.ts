// vibe doctor's checks against a fake machine: which findings pass, warn or fail, and what they say.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNode, keychainFailure, runChecks, type CheckResult, type DoctorEnvironment } from './checks.js';
import { findExecutable } from './find-executable.js';
import type { ProbeRunner } from './run-probe.js';

const root = mkdtempSync(join(tmpdir(), 'vibe-doctor-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A directory holding empty executables with these names, to put on PATH. */
function binDir(name: string, programs: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const program of programs) {
    writeFileSync(join(dir, program), '#!/bin/sh\n');
    chmodSync(join(dir, program), 0o755);
  }
  return dir;
}

const VERSIONS: Record<string, string> = {
  git: 'git version 2.39.5\n',
  tmux: 'tmux 3.3a\n',
  perl: 'perl v5.36.0\n',
  claude: '1.0.0 (Claude Code)\n',
  codex: 'codex-cli 0.20.0\n',
  gemini: '0.1.0\n',
};

/** Answers version probes from the table above by program name, and records what was run. */
function fakeRunner(calls: string[][] = []): ProbeRunner {
  return async (file, args) => {
    calls.push([file, ...args]);
    const name = file.split('/').pop()!;
    const output = VERSIONS[name];
    return output === undefined ? { ok: false, reason: 'exit code 1' } : { ok: true, output };
  };
}

function environment(overrides: Partial<DoctorEnvironment> & { path?: string } = {}): DoctorEnvironment {
  const path = overrides.path ?? binDir('all', ['git', 'tmux', 'perl', 'claude', 'codex', 'gemini']);
  return {
    nodeVersion: '20.20.2',
    findExecutable: (name) => findExecutable(name, path),
    run: fakeRunner(),
    probeKeychain: async () => {},
    configFile: '/home/u/.config/vibe/config.json',
    readConfig: async () => undefined,
    probeDaemon: async () => ({ running: true, pid: 4242, version: '0.1.0' }),
    ...overrides,
  };
}

const byName = (results: CheckResult[], name: string): CheckResult => results.find((result) => result.name === name)!;

describe('runChecks', () => {
  it('passes everything on a complete machine, in a fixed order', async () => {
    const results = await runChecks(environment());
    expect(results.map((result) => result.name)).toEqual(['node', 'git', 'tmux', 'perl', 'claude', 'codex', 'gemini', 'keychain', 'config', 'daemon']);
    expect(results.every((result) => result.status === 'pass')).toBe(true);
    expect(byName(results, 'git').detail).toBe(`git version 2.39.5 (${join(root, 'all', 'git')})`);
    expect(byName(results, 'tmux').detail).toMatch(/^tmux 3\.3a/);
    expect(byName(results, 'daemon').detail).toBe('running (pid 4242, version 0.1.0)');
  });

  it('runs each program it found with its version flag, by absolute path', async () => {
    const calls: string[][] = [];
    await runChecks(environment({ run: fakeRunner(calls) }));
    const dir = join(root, 'all');
    expect(calls).toEqual(
      expect.arrayContaining([
        [join(dir, 'git'), '--version'],
        [join(dir, 'tmux'), '-V'],
        [join(dir, 'claude'), '--version'],
        [join(dir, 'codex'), '--version'],
        [join(dir, 'gemini'), '--version'],
      ]),
    );
  });

  it('fails when git is not on PATH', async () => {
    const results = await runChecks(environment({ path: binDir('no-git', ['tmux']) }));
    expect(byName(results, 'git')).toMatchObject({ status: 'fail', hint: expect.stringContaining('install git') });
  });

  it('warns without tmux that sessions run under node-pty and end with the daemon', async () => {
    const results = await runChecks(environment({ path: binDir('no-tmux', ['git']) }));
    expect(byName(results, 'tmux').status).toBe('warn');
    expect(byName(results, 'tmux').detail).toBe(
      'not found on PATH — sessions run under node-pty inside the daemon and end when it stops (no survival across `vibe down`/restarts)',
    );
  });

  it('warns without perl that input tmux keeps for a pane is not bounded', async () => {
    const results = await runChecks(environment({ path: binDir('no-perl', ['git', 'tmux']) }));
    expect(byName(results, 'perl')).toMatchObject({ status: 'warn', detail: expect.stringContaining('bounded only by what the daemon holds') });
    expect(byName(results, 'perl').hint).toContain('apt install perl');
  });

  it('warns for each missing agent CLI with its npm package', async () => {
    const results = await runChecks(environment({ path: binDir('bare', ['git', 'tmux']) }));
    expect(byName(results, 'claude')).toMatchObject({ status: 'warn', hint: 'npm i -g @anthropic-ai/claude-code' });
    expect(byName(results, 'codex')).toMatchObject({ status: 'warn', hint: 'npm i -g @openai/codex' });
    expect(byName(results, 'gemini')).toMatchObject({ status: 'warn', hint: 'npm i -g @google/gemini-cli' });
  });

  it('warns when a program is found but its version probe fails', async () => {
    const run: ProbeRunner = async () => ({ ok: false, reason: 'no answer within 5 s' });
    const results = await runChecks(environment({ run }));
    expect(byName(results, 'git').status).toBe('warn');
    expect(byName(results, 'git').detail).toContain('no answer within 5 s');
  });

  it('warns that the secrets go to a 0600 file when the keychain is unreachable', async () => {
    const results = await runChecks(environment({ probeKeychain: async () => Promise.reject(new Error('AccessDenied')) }));
    expect(byName(results, 'keychain').status).toBe('warn');
    expect(byName(results, 'keychain').detail).toContain('the daemon keeps its identity and link secrets in a 0600 file in the data directory');
  });

  it('says why the keychain is unreachable in a few words, not the D-Bus paragraph', async () => {
    const dbus = 'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead';
    const results = await runChecks(environment({ probeKeychain: async () => Promise.reject(new Error(dbus)) }));
    expect(byName(results, 'keychain').detail).toBe('OS keychain unreachable (no D-Bus session bus) — the daemon keeps its identity and link secrets in a 0600 file in the data directory');
    expect(keychainFailure('Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files')).toBe('no Secret Service provider on the D-Bus session');
    expect(keychainFailure('org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided')).toBe('no Secret Service provider on the D-Bus session');
    expect(keychainFailure(`first line ${'x'.repeat(200)}\nsecond`)).toHaveLength(80);
  });

  it('passes a missing config file as defaults', async () => {
    const results = await runChecks(environment());
    expect(byName(results, 'config')).toMatchObject({ status: 'pass', detail: expect.stringContaining('defaults') });
  });

  it('fails a config file that is not JSON, naming the file and the parse error', async () => {
    const results = await runChecks(environment({ readConfig: async () => '{ "agent": ' }));
    const config = byName(results, 'config');
    expect(config.status).toBe('fail');
    expect(config.detail).toContain('/home/u/.config/vibe/config.json');
    expect(config.detail).toMatch(/not valid JSON: .+/);
  });

  it('fails a config file that is JSON but not an object', async () => {
    const results = await runChecks(environment({ readConfig: async () => '[1, 2]' }));
    expect(byName(results, 'config').status).toBe('fail');
  });

  it('fails a config file the daemon would refuse, naming the file and the key', async () => {
    const results = await runChecks(environment({ readConfig: async () => '{"logLevel":"loud"}' }));
    const config = byName(results, 'config');
    expect(config).toMatchObject({ status: 'fail', hint: expect.stringContaining('fix the file') });
    expect(config.detail).toMatch(/^\/home\/u\/\.config\/vibe\/config\.json is invalid: logLevel: .*"debug"/);
  });

  it('lists every key the daemon would refuse', async () => {
    const results = await runChecks(environment({ readConfig: async () => '{"logLevel":"loud","busyTimeoutMs":-1}' }));
    expect(byName(results, 'config').detail).toMatch(/is invalid: busyTimeoutMs: .+; logLevel: .+/);
  });

  it('passes unknown keys, which a newer vibe may have written, as the daemon does', async () => {
    const results = await runChecks(environment({ readConfig: async () => '{"logLevel":"debug","futureKey":true}' }));
    expect(byName(results, 'config').status).toBe('pass');
  });

  it('passes a valid config file', async () => {
    const results = await runChecks(environment({ readConfig: async () => '{"defaultAgent":"claude"}' }));
    expect(byName(results, 'config')).toMatchObject({ status: 'pass', detail: '/home/u/.config/vibe/config.json' });
  });

  it('warns when the daemon is not running and says how to start it', async () => {
    const results = await runChecks(environment({ probeDaemon: async () => ({ running: false }) }));
    expect(byName(results, 'daemon')).toMatchObject({ status: 'warn', detail: 'not running', hint: expect.stringContaining('vibe up') });
  });

  it('fails when the daemon answers but cannot be used', async () => {
    const results = await runChecks(environment({ probeDaemon: async () => ({ running: false, error: 'daemon speaks protocol 2.0' }) }));
    expect(byName(results, 'daemon').status).toBe('fail');
  });

  it('adds a relay line from the running daemon: off, connected, or failing with its reason', async () => {
    const relay = { enabled: true, url: 'http://127.0.0.1:4100', daemonId: 'd'.repeat(22), connected: true, connectedAt: 'now', lastError: null, embedded: { host: '127.0.0.1', port: 4100, pid: 9 }, secretStore: 'file' } as const;
    const probe = (status: typeof relay | (Omit<typeof relay, 'connected' | 'lastError' | 'enabled'> & { connected: boolean; lastError: string | null; enabled: boolean })) =>
      environment({ probeDaemon: async () => ({ running: true, pid: 1, version: '0.1.0', relay: status }) });
    expect(byName(await runChecks(probe(relay)), 'relay')).toMatchObject({ status: 'pass', detail: 'connected to embedded relay on 127.0.0.1:4100 (secrets in the 0600 file)' });
    expect(byName(await runChecks(probe({ ...relay, enabled: false, connected: false })), 'relay')).toMatchObject({ status: 'pass', detail: 'off (secrets in the 0600 file)' });
    const failing = byName(await runChecks(probe({ ...relay, connected: false, lastError: 'port 4100 on 127.0.0.1 is in use' })), 'relay');
    expect(failing).toMatchObject({ status: 'fail', detail: 'not connected to embedded relay on 127.0.0.1:4100: port 4100 on 127.0.0.1 is in use' });
    // No daemon, no relay line.
    expect((await runChecks(environment({ probeDaemon: async () => ({ running: false }) }))).some((check) => check.name === 'relay')).toBe(false);
  });

  it('escapes what programs print', async () => {
    const run: ProbeRunner = async () => ({ ok: true, output: 'evil \x1b]0;title\x07\n' });
    const results = await runChecks(environment({ run }));
    expect(byName(results, 'git').detail).toContain('evil \\x1b]0;title\\x07');
  });
});

describe('checkNode', () => {
  it.each([
    ['20.19.0', 'pass'],
    ['20.20.2', 'pass'],
    ['22.1.0', 'pass'],
    ['v24.0.0', 'pass'],
    ['20.18.9', 'fail'],
    ['18.20.0', 'fail'],
  ])('Node %s is a %s', (version, status) => {
    expect(checkNode(version).status).toBe(status);
  });
});

describe('findExecutable', () => {
  it('finds the first executable on PATH', async () => {
    const first = binDir('first', ['tool']);
    const second = binDir('second', ['tool']);
    expect(await findExecutable('tool', `${first}:${second}`)).toBe(join(first, 'tool'));
  });

  it('skips files that are not executable, and directories', async () => {
    const dir = join(root, 'plain');
    mkdirSync(join(dir, 'subdir', 'tool'), { recursive: true });
    writeFileSync(join(dir, 'tool'), 'not executable');
    const bin = binDir('later', ['tool']);
    expect(await findExecutable('tool', `${dir}:${join(dir, 'subdir')}:${bin}`)).toBe(join(bin, 'tool'));
  });

  it('ignores empty and relative PATH entries', async () => {
    expect(await findExecutable('sh', '::relative/bin')).toBeUndefined();
  });

  it('finds nothing with no PATH', async () => {
    expect(await findExecutable('git', undefined)).toBeUndefined();
  });
});
