// The board model: loading, events moving cards, the bell, the cursor following its task, filter and cancelled.
import { describe, expect, it } from 'vitest';
import { event, session, task } from './fixtures.js';
import { boardReducer, columnTasks, initialState, selection, visibleColumns, type BoardAction, type BoardState } from './model.js';

const reduce = (state: BoardState, ...actions: BoardAction[]): BoardState => actions.reduce(boardReducer, state);
const loaded = (...tasks: ReturnType<typeof task>[]): BoardState => reduce(initialState('app'), { type: 'loaded', tasks });
const numbers = (state: BoardState, status: Parameters<typeof columnTasks>[1]): number[] => columnTasks(state, status).map((t) => t.number);

describe('the board model', () => {
  it("loads the project's tasks into their columns and ignores other projects'", () => {
    const state = loaded(task(1), task(2, { status: 'in_progress' }), task(3, { project: 'other' }));
    expect(state.connection).toBe('connected');
    expect(numbers(state, 'todo')).toEqual([1]);
    expect(numbers(state, 'in_progress')).toEqual([2]);
    expect(state.tasks.size).toBe(2);
  });

  it('moves a card when a task.moved event arrives, and drops it on task.removed', () => {
    let state = loaded(task(1), task(2));
    state = reduce(state, { type: 'event', event: event('task.moved', { task: task(1, { status: 'in_review' }), from: 'todo' }) });
    expect(numbers(state, 'todo')).toEqual([2]);
    expect(numbers(state, 'in_review')).toEqual([1]);
    state = reduce(state, { type: 'event', event: event('task.removed', { task: task(2) }) });
    expect(numbers(state, 'todo')).toEqual([]);
  });

  it("updates the card's session from session.updated, ignoring an older attempt's news", () => {
    let state = loaded(task(1, { status: 'in_progress', attempts: 2, session: { id: 12, attempt: 2, agent: 'b', state: 'working', exitCode: null, lastActivityAt: '2026-01-02T03:09:00.000Z' } }));
    state = reduce(state, { type: 'event', event: event('session.updated', { session: session(1, { id: 11, attempt: 1, state: 'exited', exitCode: 0 }) }) });
    expect(state.tasks.get(1)!.session!.state).toBe('working');
    state = reduce(state, { type: 'event', event: event('session.updated', { session: session(1, { id: 12, attempt: 2, agent: 'b', state: 'idle' }) }) });
    expect(state.tasks.get(1)!.session).toMatchObject({ id: 12, state: 'idle' });
  });

  it('counts a bell once when an agent becomes waiting, not again while it stays waiting', () => {
    let state = loaded(task(1, { status: 'in_progress' }));
    const waiting = { type: 'event', event: event('session.updated', { session: session(1, { state: 'waiting' }) }) } as const;
    state = reduce(state, waiting, waiting);
    expect(state.bells).toBe(1);
    state = reduce(state, { type: 'event', event: event('session.updated', { session: session(1, { state: 'working' }) }) }, waiting);
    expect(state.bells).toBe(2);
  });

  it('moves the cursor with hjkl-style steps, clamped to the columns and cards', () => {
    let state = loaded(task(1), task(2), task(3, { status: 'in_progress' }));
    expect(selection(state).task?.number).toBe(1);
    state = reduce(state, { type: 'move', dx: 0, dy: 1 }, { type: 'move', dx: 0, dy: 5 });
    expect(selection(state).task?.number).toBe(2);
    state = reduce(state, { type: 'move', dx: 1, dy: 0 });
    expect(selection(state)).toMatchObject({ column: 1, task: { number: 3 } });
    state = reduce(state, { type: 'move', dx: 9, dy: 0 });
    expect(selection(state)).toMatchObject({ column: 3, task: undefined });
  });

  it('keeps the selected task selected when an event moves it to another column', () => {
    let state = reduce(loaded(task(1), task(2)), { type: 'move', dx: 0, dy: 1 });
    expect(selection(state).task?.number).toBe(2);
    state = reduce(state, { type: 'event', event: event('task.moved', { task: task(2, { status: 'in_progress' }), from: 'todo' }) });
    expect(selection(state)).toMatchObject({ column: 1, task: { number: 2 } });
  });

  it('filters by title substring, case-insensitively', () => {
    const state = reduce(loaded(task(1, { title: 'Fix the Login' }), task(2, { title: 'Docs' })), { type: 'filter', text: 'login' });
    expect(numbers(state, 'todo')).toEqual([1]);
  });

  it('hides cancelled tasks until toggled', () => {
    let state = loaded(task(1, { status: 'cancelled' }));
    expect(visibleColumns(state)).not.toContain('cancelled');
    state = reduce(state, { type: 'toggle-cancelled' });
    expect(visibleColumns(state)).toContain('cancelled');
    expect(numbers(state, 'cancelled')).toEqual([1]);
  });

  it('marks the connection lost and back', () => {
    let state = reduce(loaded(), { type: 'connection', connection: 'disconnected' });
    expect(state.connection).toBe('disconnected');
    state = reduce(state, { type: 'loaded', tasks: [task(4)] });
    expect(state.connection).toBe('connected');
  });
});
