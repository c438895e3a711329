// The rules of sessions as pure functions: starting a task, changing a session, and the task moves they cause.
import { ProtocolError, TASK_TRANSITIONS, type AgentState, type Session, type TaskStatus } from '@vibe/protocol';
import type { FullTask } from './store-types.js';

export interface SessionPatch {
  state?: AgentState;
  /** Only on an exited session; null when it ended by a signal or its code is unknown. */
  exitCode?: number | null;
  /** null once the process is gone. */
  pid?: number | null;
  /** Only on an exited session; stamped with the current time when it becomes exited without one. */
  endedAt?: string;
  /** Stamped with the current time on a state change without one. */
  lastActivityAt?: string;
  cols?: number;
  rows?: number;
  hostName?: string;
}

/**
 * Where starting a task moves it: todo and in_review go to in_progress, in_progress stays (another attempt
 * alongside), done and cancelled are refused, since work on them would not show on the board.
 */
export function startMove(task: FullTask): TaskStatus | undefined {
  const from = task.status;
  if (from === 'in_progress') return undefined;
  if (from === 'todo' || from === 'in_review') return 'in_progress';
  const data = { from, to: 'in_progress', allowed: [...TASK_TRANSITIONS[from]] };
  const advice = from === 'done' ? 'done is final; create a new task for more work' : 'reopen it (move it to todo) before starting';
  throw new ProtocolError('illegal_transition', `task ${task.number} is ${from}; ${advice}`, data);
}

/**
 * True when a session change means the agent's turn is over: from busy (working, waiting) to idle or exited —
 * or exited straight from starting (a launch that failed, a stop during start, an agent that ended before any
 * sign of work), which must not leave the task in progress with nothing running.
 */
export function endsTurn(from: AgentState, to: AgentState): boolean {
  return ((from === 'working' || from === 'waiting') && (to === 'idle' || to === 'exited')) || (from === 'starting' && to === 'exited');
}

export function assertTerminalSize(cols: number, rows: number): void {
  for (const [field, value] of [['cols', cols], ['rows', rows]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ProtocolError('invalid_params', `${field} must be a positive integer (got ${value})`, { field });
    }
  }
}

export interface PatchOutcome {
  session: Session;
  hostName: string;
  /** Something a client sees changed (state, exit code, pid, end time, size): worth a session.updated event. */
  visible: boolean;
  /** Anything at all changed, so the row must be written. */
  changed: boolean;
}

/** Applies `patch` to `current`; refuses reviving an exited session and an exit code or end time on a live one. */
export function applyPatch(current: Session, hostName: string, patch: SessionPatch, at: string): PatchOutcome {
  const state = patch.state ?? current.state;
  if (current.state === 'exited' && state !== 'exited') {
    throw new ProtocolError('illegal_transition', `session ${current.id} has exited; it cannot become ${state}`, {
      from: current.state,
      to: state,
    });
  }
  const exited = state === 'exited';
  if (!exited && patch.endedAt !== undefined) {
    throw new ProtocolError('invalid_params', `session ${current.id} is ${state}; only an exited session has an end time`, { field: 'endedAt' });
  }
  if (!exited && patch.exitCode !== undefined && patch.exitCode !== null) {
    throw new ProtocolError('invalid_params', `session ${current.id} is ${state}; only an exited session has an exit code`, { field: 'exitCode' });
  }
  const cols = patch.cols ?? current.cols;
  const rows = patch.rows ?? current.rows;
  assertTerminalSize(cols, rows);
  const session: Session = {
    ...current,
    state,
    exitCode: patch.exitCode === undefined ? current.exitCode : patch.exitCode,
    pid: patch.pid === undefined ? current.pid : patch.pid,
    endedAt: exited ? (patch.endedAt ?? current.endedAt ?? at) : null,
    lastActivityAt: patch.lastActivityAt ?? (state !== current.state ? at : current.lastActivityAt),
    cols,
    rows,
  };
  const visible = (['state', 'exitCode', 'pid', 'endedAt', 'cols', 'rows'] as const).some((key) => session[key] !== current[key]);
  const nextHostName = patch.hostName ?? hostName;
  const changed = visible || session.lastActivityAt !== current.lastActivityAt || nextHostName !== hostName;
  return { session, hostName: nextHostName, visible, changed };
}
