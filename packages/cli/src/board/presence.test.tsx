// Presence on the board: a card counts who watches its session and marks typing; the selected card's watchers
// are named on the message line; lists follow the daemon's events and go with the session's end.
import type { Viewer } from '@vibe/protocol';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { BoardView } from './board-view.js';
import { HelpView } from './dialogs.js';
import { event, NOW, session, task } from './fixtures.js';
import { boardReducer, initialState, type BoardState } from './model.js';
import { watchersOf, watchLine, watchMark } from './presence.js';
import { paint } from './theme.js';

const noColor = paint(false);
const running = { id: 11, attempt: 1, agent: 'claude', state: 'working' as const, exitCode: null, lastActivityAt: '2026-01-02T03:09:30.000Z' };
const dev: Viewer = { id: 'v1', label: 'dev', kind: 'local', device: 'terminal on Linux (vibe-cli 0.1.0)', readOnly: false, typing: true };
const alice: Viewer = { id: 'v2', label: 'alice', kind: 'view', device: 'Safari on iPhone (vibe-web 0.1.0)', readOnly: true, typing: false };

function watched(viewers: Viewer[]): BoardState {
  const loaded = boardReducer(initialState('app'), { type: 'loaded', tasks: [task(1, { status: 'in_progress', title: 'Fix login', session: running, attempts: 1 })] });
  const selected = boardReducer(loaded, { type: 'select', number: 1 });
  return boardReducer(selected, { type: 'event', event: event('session.viewers', { session: 11, viewers }) });
}

describe('the board model', () => {
  it('keeps each session\'s latest list, from an answer or an event, and forgets an empty one', () => {
    let state = boardReducer(initialState('app'), { type: 'viewers', session: 11, viewers: [dev] });
    expect(state.viewers.get(11)).toEqual([dev]);
    state = boardReducer(state, { type: 'event', event: event('session.viewers', { session: 11, viewers: [dev, alice] }) });
    expect(state.viewers.get(11)).toEqual([dev, alice]);
    state = boardReducer(state, { type: 'event', event: event('session.viewers', { session: 11, viewers: [] }) });
    expect(state.viewers.has(11)).toBe(false);
  });

  it('shows nobody watching a session that has exited', () => {
    const state = watched([dev]);
    const exited = boardReducer(state, { type: 'event', event: event('session.updated', { session: session(1, { id: 11, state: 'exited', exitCode: 0, endedAt: '2026-01-02T03:09:59.000Z' }) }) });
    expect(watchersOf(state, state.tasks.get(1)!)).toEqual([dev]);
    expect(watchersOf(exited, exited.tasks.get(1)!)).toEqual([]);
  });
});

describe('watch marks', () => {
  it('count the watchers and mark typing', () => {
    expect(watchMark([])).toBe('');
    expect(watchMark([alice])).toBe('◉1');
    expect(watchMark([dev, alice])).toBe('◉2✎');
  });

  it('name each watcher with the device they sit at, read-only and typing said', () => {
    expect(watchLine(3, [dev, alice])).toBe('◉ #3 watched by dev (terminal on Linux) ✎ typing, alice (Safari on iPhone, view-only)');
    expect(watchLine(3, [{ ...alice, label: 'x\u001b[2J', device: 'vibe-web 0.1.0' }])).toBe('◉ #3 watched by x\\x1b[2J (vibe-web 0.1.0, view-only)');
  });
});

describe('BoardView with watchers', () => {
  it('marks the card and names the watchers of the selected one', () => {
    const frame = render(<BoardView state={watched([dev, alice])} width={100} height={12} now={NOW} paint={noColor} />).lastFrame()!;
    expect(frame).toMatch(/#1 Fix login\s+◉2✎/);
    expect(frame).toContain('◉ #1 watched by dev (terminal on Linux) ✎ typing, alice (Safari on iPhone, view-only)');
  });

  it('draws no mark where nobody watches', () => {
    const frame = render(<BoardView state={watched([])} width={100} height={12} now={NOW} paint={noColor} />).lastFrame()!;
    expect(frame).toContain('#1 Fix login');
    expect(frame).not.toContain('◉');
  });

  it('keeps an error on the message line over the watchers', () => {
    const frame = render(<BoardView state={watched([dev])} width={100} height={12} now={NOW} paint={noColor} message={{ text: 'merge failed', error: true }} />).lastFrame()!;
    expect(frame).toContain('merge failed');
    expect(frame).not.toContain('watched by');
  });
});

describe('the help page', () => {
  it('says what the watch mark means', () => {
    expect(render(<HelpView width={100} height={24} />).lastFrame()).toContain('◉2 ✎        on a card: two connections watch its session, one of them typing');
  });
});
