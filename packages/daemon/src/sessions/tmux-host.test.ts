// Real tmux on a private socket in a temp dir: argv stays literal, input, resize, exits, stop, adopt.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveSession } from './live-session.js';
import { MAX_PENDING_INPUT } from './terminal-base.js';
import { hasTmux, NEVER_READS, RecordingSink, text, tmuxFixture, typeUntilRefused, waitFor } from './test-support.js';
import type { HostedTerminal } from './types.js';

const fixtures: ReturnType<typeof tmuxFixture>[] = [];
function fixture(): ReturnType<typeof tmuxFixture> {
  const f = tmuxFixture();
  fixtures.push(f);
  return f;
}
afterEach(() => {
  for (const f of fixtures.splice(0)) f.dispose();
});

const screenHas = (terminal: HostedTerminal, needle: string | RegExp) =>
  waitFor(async () => {
    const screen = (await terminal.screenText()) ?? '';
    return (typeof needle === 'string' ? screen.includes(needle) : needle.test(screen)) && screen;
  }, `screen to show ${needle}`);

const exitOf = (terminal: HostedTerminal): Promise<number | null> => new Promise((resolve) => terminal.onExit(resolve));

describe.skipIf(!hasTmux)('TmuxHost (real tmux)', () => {
  it('runs argv without any shell or tmux interpreting it, and input reaches the program', async () => {
    const f = fixture();
    const cwd = join(f.dir, 'tree #(touch PWNED-cwd) #{session_name}');
    mkdirSync(cwd);
    const hostile = ['$(id)', ';rm -rf', 'two\nlines', 'end;', '#(touch PWNED-arg)', '#{pane_id}', "'\"`", '\\;'];
    const script = 'printf "<%s>\\n" "$@"; pwd; printf "%s\\n" "$V"; echo hello; read x; echo got:$x';
    const terminal = await f.host.start({ name: 'vibe_1', cwd, argv: ['sh', '-c', script, 'argv0', ...hostile], env: { V: 'v;' }, cols: 80, rows: 24 });
    const exit = exitOf(terminal);
    const screen = await screenHas(terminal, 'hello');
    expect(screen).toContain('<$(id)>\n<;rm -rf>\n<two\nlines>\n<end;>\n<#(touch PWNED-arg)>\n<#{pane_id}>\n<\'"`>\n<\\;>\n');
    expect(screen).toContain(`${cwd}\nv;\nhello`);
    expect(screen).not.toMatch(/uid=\d+/);
    expect(existsSync(join(f.dir, 'PWNED-cwd')) || existsSync(join(cwd, 'PWNED-arg')) || existsSync('PWNED-arg')).toBe(false);
    terminal.write('typed text\r');
    await screenHas(terminal, 'got:typed text');
    expect(await exit).toBe(0);
  });

  it('passes UTF-8 through to viewers even when the daemon runs in the C locale', async () => {
    const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL, LC_CTYPE: process.env.LC_CTYPE };
    Object.assign(process.env, { LANG: 'C', LC_ALL: 'C', LC_CTYPE: 'C' });
    try {
      const f = fixture();
      const terminal = await f.host.start({ name: 'vibe_11', cwd: f.dir, argv: ['sh', '-c', 'read x; printf "h\\303\\251llo \\342\\234\\223 done\\n"; sleep 30'], env: {}, cols: 80, rows: 24 });
      const session = new LiveSession(11, terminal);
      const sink = new RecordingSink();
      await session.attach(sink, { readOnly: false });
      session.input(sink, '\r');
      await waitFor(() => text(sink.stream()).includes('done'), 'the line');
      expect(text(sink.stream())).toContain('héllo ✓ done');
      session.dispose();
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('holds at most MAX_PENDING_INPUT of typed input; a viewer\'s keys past it are dropped, `write` refuses with busy', async () => {
    const f = fixture();
    const terminal = await f.host.start({ name: 'vibe_12', cwd: f.dir, argv: NEVER_READS, env: {}, cols: 80, rows: 24 });
    await screenHas(terminal, 'ready');
    const session = new LiveSession(12, terminal);
    const sink = new RecordingSink();
    await session.attach(sink, { readOnly: false });
    const chunk = 'x'.repeat(64 * 1024);
    // 2 MiB of keys in one go: the attach client cannot take them as fast, so the daemon would hold them all.
    for (let i = 0; i < 32; i++) expect(session.input(sink, chunk)).toBe(true);
    const held = terminal.pendingInput();
    expect(held).toBeGreaterThan(MAX_PENDING_INPUT - chunk.length);
    expect(held).toBeLessThanOrEqual(MAX_PENDING_INPUT);
    const { accepted, refusal } = typeUntilRefused(terminal, chunk, 1);
    expect(accepted).toBe(0);
    expect(refusal).toMatchObject({ code: 'busy', data: { pendingBytes: held, limitBytes: MAX_PENDING_INPUT } });
    expect(terminal.pendingInput()).toBe(held);
    session.dispose();
  });

  it('bounds the input a pane leaves unread though tmux would keep it all: busy past MAX_PENDING_INPUT, and typing works again once the program reads', async () => {
    const f = fixture();
    // Reads nothing until the test creates `go`, then everything, into `received`.
    const script = 'stty raw -echo; echo ready; while [ ! -e go ]; do sleep 0.05; done; exec cat > received';
    const terminal = await f.host.start({ name: 'vibe_13', cwd: f.dir, argv: ['sh', '-c', script], env: {}, cols: 80, rows: 24 });
    await screenHas(terminal, 'ready');
    const chunk = 'x'.repeat(64 * 1024);
    let accepted = 0;
    let refusal: unknown;
    // A chunk at a time with a pause between: the attach client hands each on, so the daemon holds nothing
    // and, unbounded, tmux would take all 2 MiB.
    while (accepted < 2 * MAX_PENDING_INPUT && refusal === undefined) {
      ({ refusal } = typeUntilRefused(terminal, chunk, 1));
      if (refusal === undefined) accepted += chunk.length;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refusal).toMatchObject({ code: 'busy', message: expect.stringContaining('not reading input'), data: { limitBytes: MAX_PENDING_INPUT } });
    expect(accepted).toBeGreaterThan(MAX_PENDING_INPUT - chunk.length);
    expect(accepted).toBeLessThanOrEqual(MAX_PENDING_INPUT + chunk.length);
    expect(terminal.pendingInput()).toBe(accepted);

    writeFileSync(join(f.dir, 'go'), '');
    await waitFor(() => typeUntilRefused(terminal, chunk, 1).refusal === undefined, 'input to be taken again', 10_000);
    accepted += chunk.length;
    await waitFor(() => statSync(join(f.dir, 'received'), { throwIfNoEntry: false })?.size === accepted, 'the program to receive every byte taken');
    await waitFor(() => terminal.pendingInput() === 0, 'the daemon to see nothing left unread');
  }, 20_000);

  it('reports the exit code through remain-on-exit, then reaps the session', async () => {
    const f = fixture();
    const terminal = await f.host.start({ name: 'vibe_2', cwd: f.dir, argv: ['sh', '-c', 'exit 7'], env: {}, cols: 80, rows: 24 });
    expect(await exitOf(terminal)).toBe(7);
    expect(terminal.pid()).toBeUndefined();
    await waitFor(async () => !(await f.host.list()).includes('vibe_2'), 'the dead session to be reaped');
  });

  it('resizes the session through the attach client (stty size sees it)', async () => {
    const f = fixture();
    const terminal = await f.host.start({ name: 'vibe_3', cwd: f.dir, argv: ['sh', '-c', 'while read x; do echo "size:$(stty size)"; done'], env: {}, cols: 80, rows: 24 });
    await screenHas(terminal, '');
    terminal.write('\r');
    await screenHas(terminal, 'size:24 80');
    terminal.resize(100, 30);
    await new Promise((resolve) => setTimeout(resolve, 200));
    terminal.write('\r');
    await screenHas(terminal, 'size:30 100');
  });

  it('streams the same bytes to two viewers, and a snapshot repaints the current screen', async () => {
    const f = fixture();
    const terminal = await f.host.start({ name: 'vibe_4', cwd: f.dir, argv: ['sh', '-c', 'echo ready; while read x; do echo "line:$x"; done'], env: {}, cols: 80, rows: 24 });
    const session = new LiveSession(4, terminal);
    const a = new RecordingSink();
    const b = new RecordingSink();
    await screenHas(terminal, 'ready');
    const attachedA = await session.attach(a, { readOnly: false });
    const attachedB = await session.attach(b, { readOnly: true });
    expect(attachedA.snapshot && attachedB.snapshot).toBe(true);
    expect(text(a.snapshots()[0]!.payload)).toContain('ready');
    expect(session.input(b, 'nope\r')).toBe(false);
    for (let i = 0; i < 20; i++) session.input(a, `${i}\r`);
    await screenHas(terminal, 'line:19');
    await waitFor(() => text(a.stream()).includes('line:19') && text(b.stream()).includes('line:19'), 'both viewers to see line 19');
    const from = Math.max(a.snapshots().at(-1)!.seq, b.snapshots().at(-1)!.seq);
    const tail = (sink: RecordingSink) => Array.from(sink.stream().subarray(from - sink.snapshots().at(-1)!.seq));
    expect(tail(a)).toEqual(tail(b));
    session.dispose();
  });

  it("gives a viewer who attaches late the program's terminal modes after the screen", async () => {
    const f = fixture();
    const script = "printf '\\033[?2004h\\033[?1000h\\033[?1006h'; echo ready; sleep 60";
    const terminal = await f.host.start({ name: 'vibe_8', cwd: f.dir, argv: ['sh', '-c', script], env: {}, cols: 80, rows: 24 });
    const session = new LiveSession(8, terminal);
    await screenHas(terminal, 'ready');
    const late = new RecordingSink();
    await session.attach(late, { readOnly: false });
    const snapshot = text(late.snapshots()[0]!.payload);
    const tail = snapshot.slice(snapshot.lastIndexOf('ready'));
    for (const mode of ['\x1b[?2004h', '\x1b[?1000h', '\x1b[?1006h']) expect(tail).toContain(mode);
    session.dispose();
  });

  it('stops gracefully with SIGTERM, and forcibly when it is ignored', async () => {
    const f = fixture();
    const polite = await f.host.start({ name: 'vibe_5', cwd: f.dir, argv: ['sh', '-c', 'trap "exit 5" TERM; echo up; while :; do sleep 0.05; done'], env: {}, cols: 80, rows: 24 });
    const stubborn = await f.host.start({ name: 'vibe_6', cwd: f.dir, argv: ['sh', '-c', 'trap "" TERM; echo up; sleep 30'], env: {}, cols: 80, rows: 24 });
    await screenHas(polite, 'up');
    await screenHas(stubborn, 'up');
    const codes = [exitOf(polite), exitOf(stubborn)];
    const started = Date.now();
    await Promise.all([polite.stop(3000), stubborn.stop(300)]);
    expect(await codes[0]).toBe(5);
    expect(await codes[1]).toBeNull();
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await f.host.list()).toEqual([]);
  });

  it('notices a session killed behind its back', async () => {
    const f = fixture();
    const terminal = await f.host.start({ name: 'vibe_7', cwd: f.dir, argv: ['sleep', '30'], env: {}, cols: 80, rows: 24 });
    await f.host.tmux([['kill-session', '-t', '=vibe_7']]);
    expect(await exitOf(terminal)).toBeNull();
  });

  it('adopts a session after the daemon let go of it: same screen, still takes input', async () => {
    const f = fixture();
    const first = await f.host.start({ name: 'vibe_8', cwd: f.dir, argv: ['sh', '-c', 'echo "marker $((6*7))"; read x; echo "after:$x"; sleep 30'], env: {}, cols: 80, rows: 24 });
    await screenHas(first, 'marker 42');
    first.release();
    const host = f.newHost();
    expect(await host.list()).toEqual(['vibe_8']);
    expect(await host.adopt('vibe_9', 80, 24)).toBeUndefined();
    expect(await host.adopt('vibe_', 80, 24)).toBeUndefined();
    const adopted = await host.adopt('vibe_8', 80, 24);
    expect(adopted).toBeDefined();
    const session = new LiveSession(8, adopted!);
    const sink = new RecordingSink();
    await session.attach(sink, { readOnly: false });
    expect(text(sink.snapshots()[0]!.payload)).toContain('marker 42');
    session.input(sink, 'back\r');
    await screenHas(adopted!, 'after:back');
    await waitFor(() => text(sink.stream()).includes('after:back'), 'the viewer to see the answer');
    session.dispose();
  });

  it('reads the exit code of a session that died while nobody was attached', async () => {
    const f = fixture();
    const first = await f.host.start({ name: 'vibe_10', cwd: f.dir, argv: ['sh', '-c', 'read x; exit 9'], env: {}, cols: 80, rows: 24 });
    await screenHas(first, '');
    first.release();
    await f.host.tmux([['send-keys', '-t', '=vibe_10:', 'Enter']]);
    await waitFor(async () => (await f.host.tmux([['list-panes', '-a', '-F', '#{pane_dead}']])).stdout.trim() === '1', 'the pane to die');
    const adopted = await f.newHost().adopt('vibe_10', 80, 24);
    expect(await exitOf(adopted!)).toBe(9);
  });
});
