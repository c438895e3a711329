// PtyHost with real node-pty: literal argv, input, resize, exit codes, stop, replay snapshots, no adoption.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveSession } from './live-session.js';
import { PtyHost } from './pty-host.js';
import { LaunchSpecError } from './tmux-commands.js';
import { MAX_PENDING_INPUT } from './terminal-base.js';
import { alive, NEVER_READS, RecordingSink, text, typeUntilRefused, waitFor } from './test-support.js';
import type { HostedTerminal, LaunchSpec } from './types.js';

let dir: string;
let host: PtyHost;
const started: HostedTerminal[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-pty-'));
  host = new PtyHost();
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((terminal) => terminal.stop(200)));
  rmSync(dir, { recursive: true, force: true });
});

async function start(argv: string[], patch: Partial<LaunchSpec> = {}): Promise<{ terminal: HostedTerminal; output: () => string; exit: Promise<number | null> }> {
  const terminal = await host.start({ name: `vibe_${started.length + 1}`, cwd: dir, argv, env: {}, cols: 80, rows: 24, ...patch });
  started.push(terminal);
  let out = '';
  terminal.onData((bytes) => (out += text(bytes)));
  return { terminal, output: () => out, exit: new Promise((resolve) => terminal.onExit(resolve)) };
}

describe('PtyHost (real node-pty)', () => {
  it('runs argv directly, so nothing in it is shell-interpreted, and input reaches the program', async () => {
    const hostile = ['$(id)', ';rm -rf', 'two\nlines', 'end;', '`id`'];
    const { terminal, output, exit } = await start(['sh', '-c', 'printf "<%s>\\n" "$@"; echo "$V"; echo hello; read x; echo got:$x', 'argv0', ...hostile], { env: { V: '$HOME' } });
    await waitFor(() => output().includes('hello'), 'hello');
    expect(output()).toContain('<$(id)>\r\n<;rm -rf>\r\n<two\r\nlines>\r\n<end;>\r\n<`id`>\r\n$HOME\r\nhello');
    expect(output()).not.toMatch(/uid=\d+/);
    terminal.write('abc\r');
    expect(await exit).toBe(0);
    expect(output()).toContain('got:abc');
    expect(await host.list()).toEqual([]);
  });

  it('holds at most MAX_PENDING_INPUT for a program that never reads, refusing more input whole with busy', async () => {
    const { terminal, output } = await start(NEVER_READS);
    await waitFor(() => output().includes('ready'), 'ready');
    const chunk = 'x'.repeat(64 * 1024);
    const { accepted, refusal } = typeUntilRefused(terminal, chunk, 64);
    expect(refusal).toMatchObject({ code: 'busy', message: expect.stringContaining('not reading input') });
    expect(accepted).toBe(16);
    const held = terminal.pendingInput();
    expect(held).toBeGreaterThan(MAX_PENDING_INPUT - chunk.length);
    expect(held).toBeLessThanOrEqual(MAX_PENDING_INPUT);
    // Later input is refused too, and nothing of it is kept.
    expect(() => terminal.write(chunk)).toThrow(/not reading input/);
    expect(terminal.pendingInput()).toBe(held);
  });

  it('reports exit codes, and null for a death by signal', async () => {
    expect(await (await start(['sh', '-c', 'exit 7'])).exit).toBe(7);
    expect(await (await start(['sh', '-c', 'kill -9 $$'])).exit).toBeNull();
  });

  it('resizes the pty (stty size sees it)', async () => {
    const { terminal, output } = await start(['sh', '-c', 'while read x; do echo "size:$(stty size)"; done']);
    terminal.write('\r');
    await waitFor(() => output().includes('size:24 80'), '24 80');
    terminal.resize(100, 30);
    terminal.write('\r');
    await waitFor(() => output().includes('size:30 100'), '30 100');
  });

  it('stops gracefully, then forcibly, and cannot adopt anything', async () => {
    const polite = await start(['sh', '-c', 'trap "exit 5" TERM; echo up; while :; do sleep 0.05; done']);
    const stubborn = await start(['sh', '-c', 'trap "" TERM; echo up; sleep 30']);
    await waitFor(() => polite.output().includes('up') && stubborn.output().includes('up'), 'both up');
    await Promise.all([polite.terminal.stop(3000), stubborn.terminal.stop(200)]);
    expect(await polite.exit).toBe(5);
    expect(await stubborn.exit).toBeNull();
    expect(await host.adopt()).toBeUndefined();
    expect(host.survivesRestart).toBe(false);
  });

  it('hangs up on its sessions when disposed, and tells no one of their exit', async () => {
    const { terminal, output } = await start(['sh', '-c', 'echo up; sleep 30']);
    await waitFor(() => output().includes('up'), 'up');
    const pid = terminal.pid()!;
    const exits: Array<number | null> = [];
    terminal.onExit((code) => exits.push(code));
    await host.dispose();
    await waitFor(() => !alive(pid), 'the program to end');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(exits).toEqual([]);
    expect(await host.list()).toEqual([]);
  });

  it('gives a new viewer a reset and a replay of the output, then the same live bytes as everyone', async () => {
    const { terminal } = await start(['sh', '-c', 'echo first; while read x; do echo "line:$x"; done']);
    const session = new LiveSession(1, terminal);
    const early = new RecordingSink();
    await session.attach(early, { readOnly: false });
    session.input(early, 'one\r');
    await waitFor(() => text(early.stream()).includes('line:one'), 'line one');
    const late = new RecordingSink();
    expect(await session.attach(late, { readOnly: true })).toMatchObject({ snapshot: true });
    const replay = text(late.snapshots()[0]!.payload);
    expect(replay.startsWith('\x1bc')).toBe(true);
    expect(replay).toContain('first');
    expect(replay).toContain('line:one');
    const resumeFrom = late.end();
    session.input(early, 'two\r');
    await waitFor(() => text(late.stream()).includes('line:two'), 'line two');
    await waitFor(() => early.end() >= late.end(), 'the early viewer to catch up');
    const offsetInEarly = resumeFrom - early.outputs()[0]!.seq;
    expect(Array.from(early.stream().subarray(offsetInEarly, offsetInEarly + late.stream().length))).toEqual(Array.from(late.stream()));
    session.dispose();
  });

  it('refuses a missing directory and a hostile session name before starting anything', async () => {
    await expect(host.start({ name: 'vibe_1', cwd: join(dir, 'nope'), argv: ['true'], env: {}, cols: 80, rows: 24 })).rejects.toBeInstanceOf(LaunchSpecError);
    await expect(host.start({ name: 'x; kill-server', cwd: dir, argv: ['true'], env: {}, cols: 80, rows: 24 })).rejects.toBeInstanceOf(LaunchSpecError);
  });
});
