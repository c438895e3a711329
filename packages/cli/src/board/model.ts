// The board's state and its reducer: the project's tasks kept live from daemon events, plus the cursor,
// the filter and the cancelled toggle. Pure: no I/O, so every transition is a plain unit test.
import type { Approval, Event, Session, Task, TaskStatus, Viewer } from '@vibe/protocol';

export type Connection = 'connecting' | 'connected' | 'disconnected';

export interface BoardState {
  project: string;
  /** By task number. */
  tasks: ReadonlyMap<number, Task>;
  connection: Connection;
  showCancelled: boolean;
  /** Case-insensitive title substring; empty shows everything. */
  filter: string;
  /** The column (index into visibleColumns) and the selected task; `row` is where the cursor falls back to when that task leaves the column. */
  cursor: { column: number; row: number; number: number | null };
  /** Counts agents that became waiting since the board opened: the container rings the bell when it grows. */
  bells: number;
  /** The project's pending approvals, by id (@since protocol 1.5; empty from an older daemon). */
  approvals: ReadonlyMap<string, Approval>;
  /** Who watches each session, by session id (@since protocol 1.5; empty from an older daemon). */
  viewers: ReadonlyMap<number, readonly Viewer[]>;
}

export type BoardAction =
  | { type: 'loaded'; tasks: readonly Task[] }
  | { type: 'approvals'; approvals: readonly Approval[] }
  | { type: 'viewers'; session: number; viewers: readonly Viewer[] }
  | { type: 'event'; event: Event }
  | { type: 'connection'; connection: Connection }
  | { type: 'move'; dx: number; dy: number }
  | { type: 'select'; number: number }
  | { type: 'filter'; text: string }
  | { type: 'toggle-cancelled' };

const BASE_COLUMNS: readonly TaskStatus[] = ['todo', 'in_progress', 'in_review', 'done'];

export function initialState(project: string): BoardState {
  return { project, tasks: new Map(), connection: 'connecting', showCancelled: false, filter: '', cursor: { column: 0, row: 0, number: null }, bells: 0, approvals: new Map(), viewers: new Map() };
}

export function visibleColumns(state: Pick<BoardState, 'showCancelled'>): readonly TaskStatus[] {
  return state.showCancelled ? [...BASE_COLUMNS, 'cancelled'] : BASE_COLUMNS;
}

/** The tasks of one column after the filter, oldest first (task numbers grow with creation). */
export function columnTasks(state: BoardState, status: TaskStatus): Task[] {
  const needle = state.filter.toLowerCase();
  const tasks: Task[] = [];
  for (const task of state.tasks.values()) {
    if (task.status === status && (needle === '' || task.title.toLowerCase().includes(needle))) tasks.push(task);
  }
  return tasks.sort((a, b) => a.number - b.number);
}

/**
 * Where the cursor is. The selected task stays selected wherever it is shown, so a card that an agent moves to
 * review takes the cursor with it; once it is gone (removed, filtered out) the cursor keeps its column and row.
 */
export function selection(state: BoardState): { column: number; row: number; task: Task | undefined } {
  const columns = visibleColumns(state);
  const followed = state.cursor.number === null ? undefined : state.tasks.get(state.cursor.number);
  const followedColumn = followed ? columns.indexOf(followed.status) : -1;
  const column = followedColumn >= 0 ? followedColumn : Math.min(state.cursor.column, columns.length - 1);
  const tasks = columnTasks(state, columns[column]!);
  const byNumber = tasks.findIndex((task) => task.number === state.cursor.number);
  const row = byNumber >= 0 ? byNumber : Math.max(0, Math.min(state.cursor.row, tasks.length - 1));
  return { column, row, task: tasks[row] };
}

export function boardReducer(state: BoardState, action: BoardAction): BoardState {
  switch (action.type) {
    case 'loaded':
      return { ...state, connection: 'connected', tasks: new Map(action.tasks.filter((task) => task.project === state.project).map((task) => [task.number, task])) };
    case 'approvals':
      return { ...state, approvals: new Map(action.approvals.filter((a) => a.project === state.project && a.state === 'pending').map((a) => [a.id, a])) };
    case 'viewers':
      return setViewers(state, action.session, action.viewers);
    case 'event':
      return applyEvent(state, action.event);
    case 'connection':
      return { ...state, connection: action.connection };
    case 'move':
      return move(state, action.dx, action.dy);
    case 'select': {
      const task = state.tasks.get(action.number);
      const column = task ? visibleColumns(state).indexOf(task.status) : -1;
      if (!task || column < 0) return state;
      const row = columnTasks(state, task.status).findIndex((t) => t.number === task.number);
      return { ...state, cursor: { column, row: Math.max(0, row), number: task.number } };
    }
    case 'filter':
      return { ...state, filter: action.text };
    case 'toggle-cancelled': {
      const showCancelled = !state.showCancelled;
      const column = Math.min(state.cursor.column, visibleColumns({ showCancelled }).length - 1);
      return { ...state, showCancelled, cursor: { ...state.cursor, column } };
    }
  }
}

function move(state: BoardState, dx: number, dy: number): BoardState {
  const current = selection(state);
  const columns = visibleColumns(state);
  const column = Math.max(0, Math.min(columns.length - 1, current.column + dx));
  const tasks = columnTasks(state, columns[column]!);
  const row = Math.max(0, Math.min(tasks.length - 1, current.row + dy));
  return { ...state, cursor: { column, row, number: tasks[row]?.number ?? null } };
}

/** Each event carries the whole task or session, so applying one twice, or out of a replay, is harmless. */
function applyEvent(state: BoardState, event: Event): BoardState {
  switch (event.name) {
    case 'task.created':
    case 'task.updated':
    case 'task.moved':
    case 'task.reviewed':
    case 'task.merged':
      return putTask(state, event.data.task);
    case 'task.removed': {
      if (event.data.task.project !== state.project || !state.tasks.has(event.data.task.number)) return state;
      const tasks = new Map(state.tasks);
      tasks.delete(event.data.task.number);
      return { ...state, tasks };
    }
    case 'session.updated':
      return applySession(state, event.data.session);
    case 'approval.requested':
    case 'approval.answered':
      return applyApproval(state, event.data.approval);
    case 'session.viewers':
      return setViewers(state, event.data.session, event.data.viewers);
    default:
      return state;
  }
}

/** Each list is a session's whole list, newest wins; sessions of other projects are kept too, as they cost nothing. */
function setViewers(state: BoardState, session: number, list: readonly Viewer[]): BoardState {
  const viewers = new Map(state.viewers);
  if (list.length === 0) viewers.delete(session);
  else viewers.set(session, list);
  return { ...state, viewers };
}

function putTask(state: BoardState, task: Task): BoardState {
  if (task.project !== state.project) return state;
  const tasks = new Map(state.tasks);
  tasks.set(task.number, task);
  return { ...state, tasks };
}

/** A session event updates its task's newest-attempt summary; an older attempt's news changes nothing. */
function applySession(state: BoardState, session: Session): BoardState {
  const task = state.tasks.get(session.taskNumber);
  if (session.project !== state.project || !task) return state;
  if (task.session && task.session.attempt > session.attempt) return state;
  const before = task.session;
  const summary = { id: session.id, attempt: session.attempt, agent: session.agent, state: session.state, exitCode: session.exitCode, lastActivityAt: session.lastActivityAt };
  const tasks = new Map(state.tasks);
  tasks.set(task.number, { ...task, session: summary, attempts: Math.max(task.attempts ?? 0, session.attempt) });
  const becameWaiting = session.state === 'waiting' && !(before?.id === session.id && before.state === 'waiting');
  return { ...state, tasks, bells: state.bells + (becameWaiting ? 1 : 0) };
}

/** The oldest approval a task's agent waits on, if any: the one the board's y and N answer. */
export function pendingApproval(state: BoardState, taskNumber: number): Approval | undefined {
  let oldest: Approval | undefined;
  for (const approval of state.approvals.values()) {
    if (approval.taskNumber === taskNumber && (oldest === undefined || Number(approval.id) < Number(oldest.id))) oldest = approval;
  }
  return oldest;
}

/** A new approval rings the bell (an agent behind a hook may never show as waiting); a settled one goes. */
function applyApproval(state: BoardState, approval: Approval): BoardState {
  if (approval.project !== state.project) return state;
  const approvals = new Map(state.approvals);
  const isNew = approval.state === 'pending' && !approvals.has(approval.id);
  if (approval.state === 'pending') approvals.set(approval.id, approval);
  else if (!approvals.delete(approval.id)) return state;
  return { ...state, approvals, bells: state.bells + (isNew ? 1 : 0) };
}
