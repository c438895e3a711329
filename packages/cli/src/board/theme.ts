// Colours of the board, and none at all under NO_COLOR: views ask here instead of naming colours themselves.
import type { AgentState, TaskStatus } from '@vibe/protocol';

export type InkColor = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray';

/** A colour name for ink's <Text color>, or undefined when colour is off (inverse and bold still work). */
export type Paint = (color: InkColor) => InkColor | undefined;

export function paint(enabled: boolean): Paint {
  return (color) => (enabled ? color : undefined);
}

export function statusColor(status: TaskStatus): InkColor {
  switch (status) {
    case 'todo':
      return 'blue';
    case 'in_progress':
      return 'yellow';
    case 'in_review':
      return 'magenta';
    case 'done':
      return 'green';
    case 'cancelled':
      return 'gray';
  }
}

/** Waiting is red: the one state that blocks on the person looking at the board. */
export function stateColor(state: AgentState, exitCode: number | null): InkColor {
  switch (state) {
    case 'starting':
      return 'gray';
    case 'working':
      return 'cyan';
    case 'waiting':
      return 'red';
    case 'idle':
      return 'green';
    case 'exited':
      return exitCode === 0 ? 'gray' : 'red';
  }
}

export const STATUS_TITLES: Readonly<Record<TaskStatus, string>> = {
  todo: 'TODO',
  in_progress: 'IN PROGRESS',
  in_review: 'IN REVIEW',
  done: 'DONE',
  cancelled: 'CANCELLED',
};
