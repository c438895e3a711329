// The board's screens as a user sees them (ink-testing-library frames) and its keys, with fake daemon actions.
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { BoardApp, splitKeys, type BoardActions } from './app.js';
import { BoardView } from './board-view.js';
import { DiffView, splitPatch, type Diff } from './diff-view.js';
import { NOW, task } from './fixtures.js';
import { boardReducer, initialState, type BoardAction, type BoardState } from './model.js';
import { paint } from './theme.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
const noColor = paint(false);

function boardWith(...tasks: ReturnType<typeof task>[]): BoardState {
  return boardReducer(initialState('app'), { type: 'loaded', tasks });
}

const working = { id: 11, attempt: 1, agent: 'claude', state: 'working' as const, exitCode: null, lastActivityAt: '2026-01-02T03:09:30.000Z' };

const diff: Diff = {
  base: 'main',
  branch: 'vibe/1-x',
  mergeBase: 'abc',
  truncated: false,
  files: [
    { path: 'a.txt', oldPath: null, status: 'modified', additions: 1, deletions: 1, binary: false },
    { path: 'b.txt', oldPath: null, status: 'added', additions: 1, deletions: 0, binary: false },
  ],
  patch: [
    'diff --git a/a.txt b/a.txt',
    '--- a/a.txt',
    '+++ b/a.txt',
    '@@ -1 +1 @@',
    '-old line',
    '+new line',
    'diff --git a/b.txt b/b.txt',
    'new file mode 100644',
    '--- /dev/null',
    '+++ b/b.txt',
    '@@ -0,0 +1 @@',
    '+added line',
    '',
  ].join('\n'),
};

function fakeActions(overrides: Partial<BoardActions> = {}): BoardActions {
  return {
    create: vi.fn(async (input) => task(9, { title: input.title })),
    start: vi.fn(async () => 'started'),
    stop: vi.fn(async () => 'stopped'),
    edit: vi.fn(async () => 'saved'),
    diff: vi.fn(async () => diff),
    merge: vi.fn(async () => 'merged #1 (squash) as abc'),
    answer: vi.fn(async () => 'answered'),
    attach: vi.fn(),
    quit: vi.fn(),
    ...overrides,
  };
}

/** BoardApp over a real reducer, as the container runs it. */
function mount(state: BoardState, actions: BoardActions, size = { width: 80, height: 23 }, viewOnly = false) {
  let current = state;
  const ui = () => <BoardApp state={current} dispatch={dispatch} actions={actions} width={size.width} height={size.height} now={NOW} paint={noColor} viewOnly={viewOnly} />;
  const dispatch = (action: BoardAction): void => {
    current = boardReducer(current, action);
    app.rerender(ui());
  };
  const app = render(ui());
  return { ...app, state: () => current };
}

describe('BoardView', () => {
  it('shows the four columns with counts and each card: id, title, state with elapsed time, agent and attempts', () => {
    const state = boardWith(task(1, { title: 'Write docs' }), task(2, { title: 'Fix login', status: 'in_progress', attempts: 1, session: working }));
    const frame = render(<BoardView state={state} width={100} height={20} now={NOW} paint={noColor} />).lastFrame()!;
    expect(frame).toContain('vibe board · app · 2 tasks');
    expect(frame).toMatch(/TODO 1\s+IN PROGRESS 1\s+IN REVIEW 0\s+DONE 0/);
    expect(frame).toContain('#1 Write docs');
    expect(frame).toContain('default ×0');
    expect(frame).toContain('#2 Fix login');
    expect(frame).toContain('working 30s · claude ×1');
    expect(frame).not.toContain('CANCELLED');
  });

  it('fits 80x24: every line within 80 columns, long titles cut with an ellipsis', () => {
    const tasks = Array.from({ length: 30 }, (_, i) => task(i + 1, { title: `A very long title for task number ${i + 1} that cannot fit` }));
    const frame = render(<BoardView state={boardWith(...tasks)} width={80} height={23} now={NOW} paint={noColor} />).lastFrame()!;
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame).toContain('#1 A very long ti…');
    expect(frame).toMatch(/↓ 2\d/);
  });

  it('escapes control characters in titles', () => {
    const frame = render(<BoardView state={boardWith(task(1, { title: 'evil\x1b]52;c;x\x07' }))} width={100} height={10} now={NOW} paint={noColor} />).lastFrame()!;
    expect(frame).toContain('evil\\x1b]52');
    expect(frame).not.toContain('\x1b]52');
  });

  it('says when the daemon is disconnected', () => {
    const state = boardReducer(boardWith(task(1)), { type: 'connection', connection: 'disconnected' });
    expect(render(<BoardView state={state} width={100} height={10} now={NOW} paint={noColor} />).lastFrame()).toContain('daemon disconnected');
  });

  it('puts the state first on the second line, where a narrow column still shows it', () => {
    const state = boardWith(task(1, { status: 'in_progress', session: { ...working, state: 'waiting', agent: 'a-long-agent-name' } }));
    const frame = render(<BoardView state={state} width={80} height={10} now={NOW} paint={noColor} />).lastFrame()!;
    expect(frame).toContain('waiting 30s · a-l…');
  });
});

describe('DiffView', () => {
  it('splits the patch per file', () => {
    const files = splitPatch(diff);
    expect(files.map((file) => file.label)).toEqual(['M a.txt +1 -1', 'A b.txt +1 -0']);
    expect(files[1]!.lines).toContain('+added line');
  });

  it('shows the file list and the selected file’s patch', () => {
    const frame = render(<DiffView title="#1 x" diff={diff} file={1} scroll={0} width={80} height={12} paint={noColor} />).lastFrame()!;
    expect(frame).toContain('vibe/1-x vs main · 2 files');
    expect(frame).toContain('A b.txt +1 -0');
    expect(frame).toContain('+added line');
    expect(frame).not.toContain('-old line');
  });
});

describe('BoardApp keys', () => {
  it('n opens the form; Enter moves through title, description and agent, then creates the task', async () => {
    const actions = fakeActions();
    const app = mount(boardWith(task(1)), actions);
    app.stdin.write('n');
    await tick();
    expect(app.lastFrame()).toContain('New task');
    app.stdin.write('Ship it');
    await tick();
    app.stdin.write('\r');
    await tick();
    app.stdin.write('the details\r');
    await tick();
    app.stdin.write('fake');
    await tick();
    app.stdin.write('\r');
    await tick();
    expect(actions.create).toHaveBeenCalledWith({ title: 'Ship it', description: 'the details', agent: 'fake' });
    expect(app.lastFrame()).toContain('created #9');
    expect(app.lastFrame()).toContain('›#9 Ship it');
  });

  it('s starts, x stops and Enter attaches the selected task; Enter on a task never started says so', async () => {
    const actions = fakeActions();
    const app = mount(boardWith(task(1), task(2, { status: 'in_progress', session: working })), actions);
    app.stdin.write('\r');
    await tick();
    expect(actions.attach).not.toHaveBeenCalled();
    expect(app.lastFrame()).toContain('#1 has no session yet');
    app.stdin.write('s');
    await tick();
    expect(actions.start).toHaveBeenCalledWith(expect.objectContaining({ number: 1 }));
    app.stdin.write('l');
    await tick();
    app.stdin.write('x');
    await tick();
    expect(actions.stop).toHaveBeenCalledWith(expect.objectContaining({ number: 2 }));
    app.stdin.write('\r');
    await tick();
    expect(actions.attach).toHaveBeenCalledWith(expect.objectContaining({ number: 2 }));
  });

  it('m asks for the merge mode and merges with the chosen one; a daemon error shows on the board', async () => {
    const actions = fakeActions({ merge: vi.fn(async () => Promise.reject(new Error('unknown method task.merge'))) });
    const app = mount(boardWith(task(1, { status: 'in_review' })), actions);
    app.stdin.write('l');
    await tick();
    app.stdin.write('l');
    await tick();
    app.stdin.write('m');
    await tick();
    expect(app.lastFrame()).toContain('Merge #1 Task 1?');
    app.stdin.write('\t');
    await tick();
    app.stdin.write('y');
    await tick();
    expect(actions.merge).toHaveBeenCalledWith(expect.objectContaining({ number: 1 }), 'rebase');
    expect(app.lastFrame()).toContain('merging #1 (rebase): unknown method task.merge');
  });

  it('d shows the diff and scrolls between files; q returns to the board', async () => {
    const app = mount(boardWith(task(1)), fakeActions());
    app.stdin.write('d');
    await tick();
    expect(app.lastFrame()).toContain('-old line');
    app.stdin.write('l');
    await tick();
    expect(app.lastFrame()).toContain('+added line');
    app.stdin.write('q');
    await tick();
    expect(app.lastFrame()).toContain('TODO 1');
  });

  it('/ filters as you type and Esc clears it; r retries with the agent typed; e edits', async () => {
    const actions = fakeActions();
    const app = mount(boardWith(task(1, { title: 'alpha' }), task(2, { title: 'beta' })), actions);
    app.stdin.write('/');
    await tick();
    app.stdin.write('bet');
    await tick();
    expect(app.state().filter).toBe('bet');
    expect(app.lastFrame()).not.toContain('#1 alpha');
    app.stdin.write('\r');
    await tick();
    app.stdin.write('r');
    await tick();
    app.stdin.write('codex\r');
    await tick();
    expect(actions.start).toHaveBeenCalledWith(expect.objectContaining({ number: 2 }), 'codex');
    app.stdin.write('\x1b');
    await tick();
    await tick();
    expect(app.state().filter).toBe('');
    app.stdin.write('e');
    await tick();
    expect(app.lastFrame()).toContain('Edit #1');
    app.stdin.write('\x7f\x7f\x7f\x7f\x7fAlpha!\r');
    await tick();
    app.stdin.write('\r');
    await tick();
    app.stdin.write('\r');
    await tick();
    // Only what changed is sent: the description and agent were left as they were.
    expect(actions.edit).toHaveBeenCalledWith(expect.objectContaining({ number: 1 }), { title: 'Alpha!' });
  });

  it('takes a description of several lines: Alt-Enter starts a new line, Enter moves on', async () => {
    const actions = fakeActions();
    const app = mount(boardWith(), actions);
    for (const keys of ['n', 'Title', '\r', 'line one', '\x1b\r', 'line two', '\r', '\r']) {
      app.stdin.write(keys);
      await tick();
    }
    expect(actions.create).toHaveBeenCalledWith({ title: 'Title', description: 'line one\nline two' });
  });

  it('e edits the description and the agent, and an emptied agent goes back to the default', async () => {
    const actions = fakeActions();
    const app = mount(boardWith(task(1, { title: 'alpha', description: 'old words', agent: 'codex' })), actions);
    app.stdin.write('e');
    await tick();
    expect(app.lastFrame()).toContain('old words');
    for (const keys of ['\t', '\x15', 'new words', '\t', '\x15', '\r']) {
      app.stdin.write(keys);
      await tick();
    }
    expect(actions.edit).toHaveBeenCalledWith(expect.objectContaining({ number: 1 }), { description: 'new words', agent: null });

    app.stdin.write('e');
    await tick();
    app.stdin.write('\r\r\r');
    await tick();
    expect(actions.edit).toHaveBeenCalledTimes(1);
    expect(app.lastFrame()).toContain('#1 unchanged');
  });

  it('? shows help, c shows cancelled tasks, q quits', async () => {
    const actions = fakeActions();
    const app = mount(boardWith(task(1, { status: 'cancelled' })), actions);
    app.stdin.write('?');
    await tick();
    expect(app.lastFrame()).toContain('vibe board — keys');
    app.stdin.write(' ');
    await tick();
    app.stdin.write('c');
    await tick();
    expect(app.lastFrame()).toContain('CANCELLED 1');
    app.stdin.write('q');
    await tick();
    expect(actions.quit).toHaveBeenCalled();
  });
});

describe('BoardApp through a view-only link', () => {
  it('says it is view-only, hints only the keys that watch, refuses every change key with a line naming it, and still attaches and diffs', async () => {
    const actions = fakeActions();
    const app = mount(boardWith(task(1, { title: 'Fix login', status: 'in_progress', attempts: 1, session: working })), actions, { width: 100, height: 23 }, true);
    const first = app.lastFrame()!;
    expect(first.split('\n')[0]).toMatch(/^vibe board · app · 1 task\s+view-only link$/);
    expect(first).toContain('⏎ watch  d diff  / filter  c cancelled  ? help  q quit');
    expect(first).not.toContain('n new');
    // With the task selected, so that each key would act on it were the link not view-only.
    app.stdin.write('l');
    await tick();
    for (const [key, what] of [['n', 'new task'], ['s', 'start'], ['x', 'stop'], ['e', 'edit'], ['r', 'retry'], ['m', 'merge']] as const) {
      app.stdin.write(key);
      await tick();
      const frame = app.lastFrame()!;
      expect(frame, key).toContain(`${what}: refused — this link is view-only; it can watch, not change anything`);
      // Still the board: no form, no prompt, no merge dialog opened.
      expect(frame, key).toMatch(/IN PROGRESS 1/);
    }
    for (const name of ['create', 'start', 'stop', 'edit', 'merge'] as const) expect(actions[name], name).not.toHaveBeenCalled();
    app.stdin.write('\r');
    await tick();
    expect(actions.attach).toHaveBeenCalledTimes(1);
    app.stdin.write('d');
    await tick();
    expect(app.lastFrame()).toContain('M a.txt');
  });
});

describe('splitKeys', () => {
  it('splits typed text from the Enter that followed it in the same read', () => {
    const keys = splitKeys('abc\r', { return: true } as Parameters<typeof splitKeys>[1]);
    expect(keys.map(([input, key]) => [input, key.return])).toEqual([
      ['abc', false],
      ['', true],
    ]);
  });
});
