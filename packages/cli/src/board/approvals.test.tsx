// Approvals on the board: the card that asks, what it asks on the line above the keys, y to allow and N to deny
// with a reason, kept live from events, and refused through a view-only link.
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { Approval } from '@vibe/protocol';
import { BoardApp, type BoardActions } from './app.js';
import { event, NOW, session, task } from './fixtures.js';
import { boardReducer, initialState, pendingApproval, type BoardAction, type BoardState } from './model.js';
import { paint } from './theme.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

function approval(id: string, overrides: Partial<Approval> = {}): Approval {
  return {
    id,
    project: 'app',
    taskNumber: 1,
    attempt: 1,
    session: 11,
    agent: 'claude',
    tool: 'Bash',
    detail: 'rm -rf build\n{"description":"clean"}',
    options: ['allow', 'deny'],
    via: 'hook',
    state: 'pending',
    requestedAt: '2026-01-02T03:09:00.000Z',
    answeredAt: null,
    answeredBy: null,
    reason: null,
    ...overrides,
  };
}

const working = { id: 11, attempt: 1, agent: 'claude', state: 'working' as const, exitCode: null, lastActivityAt: '2026-01-02T03:09:30.000Z' };

function board(): BoardState {
  const state = boardReducer(initialState('app'), { type: 'loaded', tasks: [task(1, { status: 'in_progress', attempts: 1, session: working }), task(2)] });
  return boardReducer(state, { type: 'select', number: 1 });
}

function actions(): BoardActions {
  return {
    create: vi.fn(),
    start: vi.fn(),
    stop: vi.fn(),
    edit: vi.fn(),
    diff: vi.fn(),
    merge: vi.fn(),
    answer: vi.fn(async (a: Approval, decision: string) => `${decision === 'allow' ? 'allowed' : 'denied'} approval ${a.id}`),
    attach: vi.fn(),
    quit: vi.fn(),
  };
}

function mount(state: BoardState, fakes: BoardActions, viewOnly = false) {
  let current = state;
  const ui = () => <BoardApp state={current} dispatch={dispatch} actions={fakes} width={100} height={16} now={NOW} paint={paint(false)} viewOnly={viewOnly} />;
  const dispatch = (action: BoardAction): void => {
    current = boardReducer(current, action);
    app.rerender(ui());
  };
  const app = render(ui());
  return { ...app, dispatch };
}

describe('the board model', () => {
  it('keeps the project\'s pending approvals from the list and from events, and rings for a new one', () => {
    let state = boardReducer(board(), { type: 'approvals', approvals: [approval('3'), approval('4', { project: 'other' }), approval('2', { state: 'allowed' })] });
    expect([...state.approvals.keys()]).toEqual(['3']);
    const bells = state.bells;
    state = boardReducer(state, { type: 'event', event: event('approval.requested', { approval: approval('5', { taskNumber: 2 }) }) });
    expect(state.bells).toBe(bells + 1);
    expect(pendingApproval(state, 2)?.id).toBe('5');
    // A replayed request rings nothing more.
    expect(boardReducer(state, { type: 'event', event: event('approval.requested', { approval: approval('5', { taskNumber: 2 }) }) }).bells).toBe(bells + 1);
    state = boardReducer(state, { type: 'event', event: event('approval.answered', { approval: approval('5', { taskNumber: 2, state: 'denied' }) }) });
    expect(pendingApproval(state, 2)).toBeUndefined();
    expect(pendingApproval(state, 1)?.id).toBe('3');
  });

  it('answers the oldest approval of a task first', () => {
    const state = boardReducer(board(), { type: 'approvals', approvals: [approval('12'), approval('9')] });
    expect(pendingApproval(state, 1)?.id).toBe('9');
  });
});

describe('the board with a pending approval', () => {
  it('marks the card and shows what the selected task asks, with the keys that answer it', () => {
    const { lastFrame } = mount(boardReducer(board(), { type: 'approvals', approvals: [approval('3')] }), actions());
    expect(lastFrame()).toContain('⚑ asks Bash');
    expect(lastFrame()).toContain('⚑ #1 asks Bash: rm -rf build … — y allow · N deny');
  });

  it('allows with y, and the card goes back to the agent\'s state once the answer is in', async () => {
    const fakes = actions();
    const app = mount(boardReducer(board(), { type: 'approvals', approvals: [approval('3')] }), fakes);
    app.stdin.write('y');
    await tick();
    expect(fakes.answer).toHaveBeenCalledWith(expect.objectContaining({ id: '3' }), 'allow');
    app.dispatch({ type: 'event', event: event('approval.answered', { approval: approval('3', { state: 'allowed', answeredBy: 'local' }) }) });
    app.dispatch({ type: 'event', event: event('session.updated', { session: session(1, { id: 11, agent: 'claude', state: 'working' }) }) });
    await tick();
    expect(app.lastFrame()).toContain('allowed approval 3');
    expect(app.lastFrame()).not.toContain('⚑');
  });

  it('denies with N and a reason for the agent, typed at the prompt', async () => {
    const fakes = actions();
    const app = mount(boardReducer(board(), { type: 'approvals', approvals: [approval('3')] }), fakes);
    app.stdin.write('N');
    await tick();
    expect(app.lastFrame()).toContain('Deny approval 3 — reason for the agent (Enter skips):');
    app.stdin.write('not the build folder');
    await tick();
    app.stdin.write('\r');
    await tick();
    expect(fakes.answer).toHaveBeenCalledWith(expect.objectContaining({ id: '3' }), 'deny', 'not the build folder');
  });

  it('says so when the selected task asks nothing, and answers nothing', async () => {
    const fakes = actions();
    const app = mount(board(), fakes);
    app.stdin.write('y');
    await tick();
    expect(app.lastFrame()).toContain("#1's agent asks nothing now");
    expect(fakes.answer).not.toHaveBeenCalled();
  });

  it('refuses y and N through a view-only link, still showing what is asked', async () => {
    const fakes = actions();
    const app = mount(boardReducer(board(), { type: 'approvals', approvals: [approval('3')] }), fakes, true);
    expect(app.lastFrame()).toContain('⚑ #1 asks Bash: rm -rf build … — answered from a control link or the desk');
    app.stdin.write('y');
    await tick();
    expect(app.lastFrame()).toContain('allow: refused — this link is view-only');
    app.stdin.write('N');
    await tick();
    expect(fakes.answer).not.toHaveBeenCalled();
  });
});
