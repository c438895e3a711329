// `vibe attach` in a real terminal: run inside a tmux server of the test's own, its screen read with
// capture-pane. Covers what a user sees and types, detaching with the terminal restored, several clients,
// read-only, resizes, and a session that exits while attached.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fakeAgent, Sandbox, vibeBin } from './harness.js';
import { hasTmux, TmuxServer } from './tmux.js';

interface Task {
  number: number;
  session: { id: number; state: string; exitCode: number | null } | null;
}
interface Session {
  id: number;
  cols: number;
  rows: number;
}

let sandbox: Sandbox;
let repo: string;
let tmux: TmuxServer;

beforeAll(async () => {
  sandbox = new Sandbox();
  sandbox.configure({
    agents: {
      // Two questions, so a test can show which client's keys arrived first.
      asker: fakeAgent('print:hello from the fake agent;hook:waiting;ask:First? ;print:first={answer};ask:Second? ;print:second={answer};hook:idle;sleep:600000'),
      quitter: fakeAgent('print:about to quit;hook:waiting;ask:Quit? ;exit:3'),
      // Switches on what full-screen agents switch on: the alternate screen, mouse reporting, bracketed paste, a hidden cursor.
      // (Real ESC characters; `\\;` is a literal semicolon in the script language.)
      fancy: fakeAgent('print:\x1b[?1049h\x1b[?1000h\x1b[?1006h\x1b[?2004h\x1b[?25l\x1b[1\\;31mFANCY SCREEN;hook:waiting;sleep:600000'),
    },
  });
  repo = sandbox.repo('app');
  expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
  tmux = new TmuxServer(sandbox.dir, sandbox.env);
});
/** Tasks a test started: stopped after it, so sessions do not pile up against the session limit. */
const started: number[] = [];
afterEach(async () => {
  tmux?.kill();
  for (const number of started.splice(0)) await sandbox.vibe(['task', 'stop', String(number)], { cwd: repo });
});
afterAll(async () => {
  tmux?.kill();
  await sandbox?.dispose();
});

let windows = 0;
/** Runs `vibe attach ARGS` in a fresh tmux window and returns its name. */
function attach(args: string[]): string {
  const name = `w${++windows}`;
  tmux.start(name, [vibeBin, 'attach', ...args], repo);
  return name;
}

/** Adds and starts a task; the tests then wait for its screen, which is what a user attaching sees. */
async function startTask(title: string, agent: string): Promise<{ number: number; session: number }> {
  const task = await sandbox.json<Task>(['task', 'add', title, '--agent', agent], { cwd: repo });
  const { session } = await sandbox.json<{ session: Session }>(['task', 'start', String(task.number)], { cwd: repo });
  started.push(task.number);
  return { number: task.number, session: session.id };
}

describe.skipIf(!hasTmux)('vibe attach', () => {
  it("shows the agent's screen, types into it, and detaches on Ctrl-] with the terminal restored", async () => {
    const { number } = await startTask('Attach and answer', 'asker');
    const w = attach([String(number)]);
    await tmux.waitForScreen(w, /First\?/);
    expect(tmux.screen(w)).toContain('hello from the fake agent');
    expect(tmux.state(w).alternateOn).toBe(true);

    tmux.keys(w, ['yes', 'Enter']);
    await tmux.waitForScreen(w, /first=yes/);

    tmux.keys(w, ['C-]']);
    const after = await tmux.waitForScreen(w, /^-?icanon$/m);
    expect(after).toContain(`attached to app#${number}`);
    expect(after).toContain(`detached from app#${number}`);
    expect(after).toContain('[exit 0]');
    // The shell's screen is back (no agent output on it), the terminal is cooked again and the cursor shows.
    expect(after).not.toContain('first=yes');
    expect(after.split('\n')).toContain('icanon');
    expect(tmux.state(w)).toMatchObject({ alternateOn: false, cursorVisible: true });
  });

  it('gives the terminal back with the modes a full-screen agent switched on turned off', async () => {
    const { number } = await startTask('A fancy agent', 'fancy');
    const w = attach([String(number)]);
    await tmux.waitForScreen(w, /FANCY SCREEN/);
    // The session's tmux passes the hidden cursor on to the attached terminal — possibly in a redraw after the text.
    await eventually(async () => (tmux.state(w).cursorVisible ? undefined : true), 'the hidden cursor on the attached terminal', 5_000);
    expect(tmux.state(w)).toMatchObject({ alternateOn: true, cursorVisible: false });
    tmux.keys(w, ['C-]']);
    await tmux.waitForScreen(w, /\[exit 0\]/);
    expect(tmux.state(w)).toEqual({ alternateOn: false, cursorVisible: true, mouseAny: false, keypadCursor: false });
  });

  it('shows two attached clients the same screen, and what either types', async () => {
    const { number } = await startTask('Two viewers', 'asker');
    const one = attach([String(number)]);
    const two = attach([String(number)]);
    await tmux.waitForScreen(one, /First\?/);
    await tmux.waitForScreen(two, /First\?/);
    tmux.keys(one, ['from-one', 'Enter']);
    await tmux.waitForScreen(two, /first=from-one/);
    tmux.keys(two, ['from-two', 'Enter']);
    await tmux.waitForScreen(one, /second=from-two/);
    expect(tmux.screen(one).split('\n').filter((line) => line.includes('first=') || line.includes('second='))).toEqual(
      tmux.screen(two).split('\n').filter((line) => line.includes('first=') || line.includes('second=')),
    );
  });

  it('never resizes the session from a --read-only client', async () => {
    const task = await sandbox.json<Task>(['task', 'add', 'Watch my size', '--agent', 'shell'], { cwd: repo });
    const { session } = await sandbox.json<{ session: Session }>(['task', 'start', String(task.number)], { cwd: repo });
    started.push(task.number);
    const typist = attach([`s${session.id}`]);
    await tmux.waitForAttach(typist);
    const watcher = `w${++windows}`;
    tmux.start(watcher, [vibeBin, 'attach', `s${session.id}`, '--read-only'], repo);
    await tmux.waitForAttach(watcher);
    tmux.resize(watcher, 70, 25);
    await new Promise((resolve) => setTimeout(resolve, 300));
    tmux.keys(typist, ['clear; stty size', 'Enter']);
    await tmux.waitForScreen(typist, /^30 100$/m);
  });

  it('cannot type with --read-only, but watches and detaches', async () => {
    const { number } = await startTask('Read only', 'asker');
    const watcher = attach([String(number), '--read-only']);
    const typist = attach([String(number)]);
    await tmux.waitForScreen(watcher, /First\?/);
    await tmux.waitForScreen(typist, /First\?/);
    tmux.keys(watcher, ['from-watcher', 'Enter']);
    // Give the watcher's keys time to arrive if they were going to, then answer from the typist.
    await new Promise((resolve) => setTimeout(resolve, 500));
    tmux.keys(typist, ['from-typist', 'Enter']);
    await tmux.waitForScreen(watcher, /first=from-typist/);
    expect(tmux.screen(watcher)).not.toContain('from-watcher');
    tmux.keys(watcher, ['C-]']);
    const after = await tmux.waitForScreen(watcher, /\[exit \d+\]/);
    expect(after).toContain('read-only');
    expect(after).toContain(`detached from app#${number}`);
  });

  it('sizes the session to the terminal and follows the terminal when it changes', async () => {
    // The user's shell as the agent: `stty size` inside the session says what size the program sees.
    const task = await sandbox.json<Task>(['task', 'add', 'Resize me', '--agent', 'shell'], { cwd: repo });
    const { session } = await sandbox.json<{ session: Session }>(['task', 'start', String(task.number)], { cwd: repo });
    started.push(task.number);
    const w = attach([`s${session.id}`]);
    await tmux.waitForAttach(w);
    tmux.keys(w, ['clear; stty size', 'Enter']);
    await tmux.waitForScreen(w, /^30 100$/m);
    tmux.resize(w, 120, 40);
    await new Promise((resolve) => setTimeout(resolve, 300));
    tmux.keys(w, ['clear; stty size', 'Enter']);
    await tmux.waitForScreen(w, /^40 120$/m);
    tmux.keys(w, ['C-]']);
    await tmux.waitForScreen(w, new RegExp(`detached from app#${task.number}`));
  });

  it('says when the session exits while attached, and returns', async () => {
    const { number } = await startTask('Quit while watched', 'quitter');
    const w = attach([String(number)]);
    await tmux.waitForScreen(w, /Quit\?/);
    tmux.keys(w, ['bye', 'Enter']);
    const after = await tmux.waitForScreen(w, /^-?icanon$/m);
    expect(after).toContain('session exited (code 3)');
    expect(after).toContain('[exit 0]');
    expect(after.split('\n')).toContain('icanon');
  });

  it('detaches with a configured key: VIBE_DETACH_KEY or --detach-key', async () => {
    const { number } = await startTask('Other keys', 'asker');
    const w = attach([String(number), '--detach-key', 'ctrl-q']);
    await tmux.waitForScreen(w, /First\?/);
    tmux.keys(w, ['C-]']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tmux.screen(w)).not.toContain('detached');
    tmux.keys(w, ['C-q']);
    await tmux.waitForScreen(w, new RegExp(`detached from app#${number}`));
  });

  it('refuses to attach without a terminal, with exit 2', async () => {
    const result = await sandbox.vibe(['attach', '1'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('vibe: vibe attach needs a terminal on stdin and stdout; from a script, `vibe send` types into a session\n');
  });
});
