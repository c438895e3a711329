// `vibe board` for real: a daemon, git, the fake agent and the board running in a tmux server of the test's
// own, driven by keys and read with capture-pane — create, start, attach and detach, review, diff and merge;
// and `vibe --link URL board` from a second home through the daemon's embedded relay, control and view-only.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAgent, Sandbox, vibeBin } from './harness.js';
import { hasTmux, TmuxServer } from './tmux.js';

let sandbox: Sandbox;
let repo: string;
let tmux: TmuxServer;

beforeAll(async () => {
  sandbox = new Sandbox();
  sandbox.configure({
    agents: {
      // Commits a file, asks a question (waiting), then works on the answer and goes idle: its turn is over.
      fake: fakeAgent('print:hello from the fake agent;edit:feature.txt=made by the agent;commit:add feature;hook:waiting;ask:Continue? ;hook:working;print:got {answer};hook:idle;sleep:600000'),
      // The same conversation with no commit, for a task started after the first one's work was merged.
      chat: fakeAgent('print:hello from the chat agent;hook:waiting;ask:Continue? ;hook:working;print:got {answer};hook:idle;sleep:600000'),
    },
  });
  // No keychain here: say so, rather than have `vibe connect` find out.
  sandbox.env.VIBE_SECRET_STORE = 'file';
  repo = sandbox.repo('app');
  const up = await sandbox.vibe(['up'], { cwd: repo });
  expect(up.code, up.stderr).toBe(0);
  // CI set, as on a CI machine: ink would draw nothing until exit there, and the board must draw anyway.
  tmux = new TmuxServer(sandbox.dir, { ...sandbox.env, CI: 'true' });
});
afterAll(async () => {
  tmux?.kill();
  await sandbox?.dispose();
});

const pause = (ms = 150): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends keys one read at a time, as a person types them. */
async function press(window: string, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    tmux.keys(window, [key]);
    await pause();
  }
}

describe('vibe board', () => {
  it('refuses without a terminal, with a clear message and exit 2', async () => {
    const result = await sandbox.vibe(['board'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('vibe board needs a terminal');
    expect(result.stderr).not.toContain('Raw mode');
  });

  it('prints help for a bare `vibe` without a terminal', async () => {
    const result = await sandbox.vibe([], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: vibe');
  });

  it.skipIf(!hasTmux)('creates, starts, attaches and detaches, follows the task to review, shows the diff and merges', async () => {
    const w = 'board';
    tmux.start(w, [vibeBin, 'board'], repo, { cols: 100, rows: 30 });
    await tmux.waitForScreen(w, /vibe board · app · 0 tasks/);
    expect(tmux.state(w).alternateOn).toBe(true);
    expect(tmux.screen(w)).toMatch(/TODO 0\s+IN PROGRESS 0\s+IN REVIEW 0\s+DONE 0/);

    // n: the form — title, description, agent.
    await press(w, 'n');
    await tmux.waitForScreen(w, /New task/);
    tmux.keys(w, ['Add the feature'], { literal: true });
    await press(w, 'Enter');
    tmux.keys(w, ['Write feature.txt'], { literal: true });
    await press(w, 'Enter');
    tmux.keys(w, ['fake'], { literal: true });
    await press(w, 'Enter');
    await tmux.waitForScreen(w, /created #1/);
    expect(tmux.screen(w)).toMatch(/TODO 1/);
    expect(tmux.screen(w)).toContain('›#1 Add the feature');
    expect(tmux.screen(w)).toContain('fake ×0');

    // s: the card moves to in progress on the daemon's events, and the agent waits for an answer.
    await press(w, 's');
    const waiting = await tmux.waitForScreen(w, /waiting \d+s · fake ×1/);
    expect(waiting).toMatch(/TODO 0\s+IN PROGRESS 1/);

    // Enter: the terminal goes to the session; C-] brings the board back, redrawn.
    await press(w, 'Enter');
    await tmux.waitForScreen(w, /Continue\?/);
    expect(tmux.screen(w)).toContain('hello from the fake agent');
    tmux.keys(w, ['yes', 'Enter']);
    await tmux.waitForScreen(w, /got yes/);
    tmux.keys(w, ['C-]']);
    await tmux.waitForScreen(w, /detached from #1/);
    // The agent went idle while we were attached: its turn is over and the task is in review.
    const review = await tmux.waitForScreen(w, /IN REVIEW 1/);
    expect(review).toMatch(/idle \d+s · fake ×1/);
    expect(review).toContain('›#1 Add the feature');
    expect(tmux.state(w).alternateOn).toBe(true);

    // d: the diff, per file.
    await press(w, 'd');
    const diff = await tmux.waitForScreen(w, /A feature\.txt/);
    expect(diff).toContain('+made by the agent');
    await press(w, 'q');
    await tmux.waitForScreen(w, /IN REVIEW 1/);

    // m: confirm with the mode, then the task lands on main and goes to done.
    await press(w, 'm');
    await tmux.waitForScreen(w, /Merge #1 Add the feature/);
    await press(w, 'Enter');
    await tmux.waitForScreen(w, /merged #1/);
    await tmux.waitForScreen(w, /DONE 1/);
    expect(execFileSync('git', ['-C', repo, 'log', '--format=%s', 'main']).toString()).not.toBe('init\n');
    expect(execFileSync('git', ['-C', repo, 'show', 'main:feature.txt']).toString()).toContain('made by the agent');

    // q: the terminal is given back.
    await press(w, 'q');
    const after = await tmux.waitForScreen(w, /\[exit 0\]/);
    expect(after.split('\n')).toContain('icanon');
    expect(tmux.state(w).alternateOn).toBe(false);
  });

  it.skipIf(!hasTmux)('moves a card started from another terminal without a key press', async () => {
    const w = 'live';
    tmux.start(w, [vibeBin, 'board'], repo, { cols: 80, rows: 24 });
    await tmux.waitForScreen(w, /vibe board · app/);
    const added = await sandbox.json<{ number: number }>(['task', 'add', 'Made elsewhere'], { cwd: repo });
    await tmux.waitForScreen(w, new RegExp(`#${added.number} Made elsewhere`));
    await sandbox.vibe(['task', 'mv', String(added.number), 'cancelled'], { cwd: repo });
    await tmux.waitForScreen(w, /TODO 0/);
    await press(w, 'c');
    await tmux.waitForScreen(w, /CANCELLED 1/);
    await press(w, 'q');
    await tmux.waitForScreen(w, /\[exit 0\]/);
  });
});

describe.skipIf(!hasTmux)('vibe --link URL board', () => {
  let remote: Sandbox;
  let remoteTmux: TmuxServer;
  let control: string;
  let view: string;

  beforeAll(async () => {
    control = (await sandbox.json<{ url: string }>(['connect', '--label', 'laptop'])).url;
    view = (await sandbox.json<{ url: string }>(['connect', '--read-only', '--label', 'phone'])).url;
    // A second machine: its own home, no daemon, reaching the first one only through the link.
    remote = new Sandbox();
    remoteTmux = new TmuxServer(remote.dir, { ...remote.env, CI: 'true' });
    const started = await sandbox.vibe(['task', 'add', 'Watch me', '--agent', 'chat', '--start'], { cwd: repo });
    expect(started.code, started.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    remoteTmux?.kill();
    await remote?.dispose();
  });

  const remotePress = async (window: string, ...keys: string[]): Promise<void> => {
    for (const key of keys) {
      remoteTmux.keys(window, [key]);
      await pause();
    }
  };

  it('shows the tasks through a control link, creates one, attaches to a session, rides out a relay restart and types into it', async () => {
    const w = 'laptop';
    remoteTmux.start(w, [vibeBin, '--link', control, 'board'], remote.dir, { cols: 100, rows: 30 });
    const first = await remoteTmux.waitForScreen(w, /#\d+ Watch me/);
    expect(first).toMatch(/vibe board · app · \d+ tasks?/);
    expect(first).not.toContain('view-only');
    expect(first).toContain('n new  s start');

    await remotePress(w, 'n');
    await remoteTmux.waitForScreen(w, /New task/);
    remoteTmux.keys(w, ['From the laptop'], { literal: true });
    await remotePress(w, 'Enter', 'Enter', 'Enter');
    await remoteTmux.waitForScreen(w, /created #\d+/);
    const { tasks } = await sandbox.json<{ tasks: Array<{ title: string }> }>(['task', 'ls'], { cwd: repo });
    expect(tasks.map((task) => task.title)).toContain('From the laptop');

    // The new task is selected in TODO; one column right is the running one. Enter attaches with write access.
    await remotePress(w, 'l', 'Enter');
    await remoteTmux.waitForScreen(w, /Continue\?/);
    // The relay dies under the attach: the daemon brings it back, and the attach resumes instead of ending.
    const { relay } = await sandbox.json<{ relay: { embedded: { pid: number } | null } }>(['status']);
    const killed = relay.embedded!.pid;
    process.kill(killed, 'SIGKILL');
    // Back once the board's link and the attach's connection are both open through the link again (keys typed
    // while the attach reconnects go nowhere, by design).
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { links } = await sandbox.json<{ links: Array<{ label: string; connections: number }> }>(['links', 'ls']);
      const { relay: now } = await sandbox.json<{ relay: { embedded: { pid: number } | null } }>(['status']);
      if (now.embedded && now.embedded.pid !== killed && (links.find((link) => link.label === 'laptop')?.connections ?? 0) >= 2) break;
      if (Date.now() > deadline) throw new Error('the board and its attach did not reconnect within 30 s');
      await pause(200);
    }
    await pause(500);
    expect(remoteTmux.screen(w)).not.toMatch(/lost|detached/);
    remoteTmux.keys(w, ['yes', 'Enter']);
    await remoteTmux.waitForScreen(w, /got yes/);
    remoteTmux.keys(w, ['C-]']);
    const back = await remoteTmux.waitForScreen(w, /detached from #\d+/);
    expect(back).not.toContain('read-only');
    await remotePress(w, 'q');
    await remoteTmux.waitForScreen(w, /\[exit 0\]/);
  });

  it('says so on a view-only link, refuses every change with a line saying why, and attaches read-only', async () => {
    // What a change would show in: the tasks and their attempts (activity times move on their own).
    const tasksNow = async () =>
      (await sandbox.json<{ tasks: Array<{ number: number; title: string; status: string; attempts: number }> }>(['task', 'ls'], { cwd: repo })).tasks.map(
        ({ number, title, status, attempts }) => ({ number, title, status, attempts }),
      );
    const before = await tasksNow();
    const w = 'phone';
    remoteTmux.start(w, [vibeBin, '--link', view, 'board'], remote.dir, { cols: 100, rows: 30 });
    const first = await remoteTmux.waitForScreen(w, /#\d+ Watch me/);
    expect(first.split('\n')[0]).toMatch(/^vibe board · app · \d+ tasks?\s+view-only link$/);
    expect(first).toContain('⏎ watch  d diff  / filter  c cancelled  ? help  q quit');

    await remotePress(w, 'n');
    await remoteTmux.waitForScreen(w, /new task: refused — this link is view-only; it can watch, not change anything/);
    expect(remoteTmux.screen(w)).not.toContain('New task');
    await remotePress(w, 's');
    await remoteTmux.waitForScreen(w, /start: refused — this link is view-only/);

    // The control link's test answered "Watch me" and it went idle: it is in review, two columns right. Enter
    // watches it; keys go nowhere.
    await remotePress(w, 'l', 'l');
    await remoteTmux.waitForScreen(w, /IN REVIEW \d+/);
    await remotePress(w, 'Enter');
    await remoteTmux.waitForScreen(w, /got yes/);
    remoteTmux.keys(w, ['Mallory', 'Enter']);
    await pause(500);
    expect(remoteTmux.screen(w)).not.toContain('Mallory');
    remoteTmux.keys(w, ['C-]']);
    await remoteTmux.waitForScreen(w, /detached from #\d+ \(watched read-only: this link is view-only\)/);
    await remotePress(w, 'q');
    await remoteTmux.waitForScreen(w, /\[exit 0\]/);

    expect(await tasksNow()).toEqual(before);
  });
});
