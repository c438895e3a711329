// Task statuses and the legal moves between them. Plain data so light clients need no schema library.
export const TASK_STATUSES = ['todo', 'in_progress', 'in_review', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * The legal moves. Work goes todo → in_progress → in_review → done; review can send it back to in_progress,
 * and anything unfinished can be dropped back to todo or cancelled. Done is final (the work has landed);
 * a cancelled task can be reopened to todo.
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  todo: ['in_progress', 'cancelled'],
  in_progress: ['in_review', 'todo', 'cancelled'],
  in_review: ['in_progress', 'done', 'todo', 'cancelled'],
  done: [],
  cancelled: ['todo'],
};

export function isTaskStatus(value: unknown): value is TaskStatus {
  return typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_TRANSITIONS[from].includes(to);
}
