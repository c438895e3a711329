// The board: a project's tasks in columns by status, each card with its agent, attempts and the state of its
// newest session. Phone screens scroll the columns sideways one at a time; wide screens show them all.
import { TASK_STATUSES, type Task, type TaskStatus } from '@vibe/protocol';
import { ago, h, replace } from './dom.js';

export const STATUS_LABELS: Record<TaskStatus, string> = {
  todo: 'To do',
  in_progress: 'In progress',
  in_review: 'In review',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** The badge of a task: its newest session's state, or "not started". */
export function stateBadge(task: Task): HTMLElement {
  const state = task.session?.state;
  if (!state) return h('span', { class: 'badge badge-none' }, 'not started');
  const label = state === 'exited' ? `exited${task.session?.exitCode !== null && task.session?.exitCode !== undefined ? ` ${task.session.exitCode}` : ''}` : state;
  return h('span', { class: `badge badge-${state}`, title: `agent ${state}` }, label);
}

/** What the cards show beyond the task: a pending approval, how many watch its session. */
export interface CardMarks {
  approvals: ReadonlySet<number>;
  watching(task: Task): number;
}

const NO_MARKS: CardMarks = { approvals: new Set(), watching: () => 0 };

export function renderBoard(container: HTMLElement, tasks: Task[], open: (task: Task) => void, marks: CardMarks = NO_MARKS): void {
  const columns = TASK_STATUSES.map((status) => {
    const inColumn = tasks.filter((task) => task.status === status);
    const waiting = inColumn.filter((task) => task.session?.state === 'waiting').length;
    return h(
      'section',
      { class: `column column-${status}`, 'data-status': status, 'aria-label': STATUS_LABELS[status] },
      h('h2', { class: 'column-title' }, STATUS_LABELS[status], h('span', { class: 'count' }, inColumn.length), waiting > 0 && h('span', { class: 'badge badge-waiting' }, `${waiting} waiting`)),
      h('div', { class: 'cards' }, ...(inColumn.length ? inColumn.map((task) => card(task, open, marks)) : [h('p', { class: 'empty' }, status === 'todo' ? 'Nothing to do. Add a task with +.' : 'None')])),
    );
  });
  replace(container, ...columns);
}

function card(task: Task, open: (task: Task) => void, marks: CardMarks): HTMLElement {
  const attempts = task.attempts ?? 0;
  const watching = marks.watching(task);
  const waiting = task.session?.state === 'waiting';
  return h(
    'button',
    { class: `card${waiting ? ' card-waiting' : ''}`, 'data-task': task.number, onclick: () => open(task), 'aria-label': `Task ${task.number}: ${task.title}` },
    h('div', { class: 'card-top' }, h('span', { class: 'card-number' }, `#${task.number}`), marks.approvals.has(task.number) && h('span', { class: 'badge badge-waiting badge-approval' }, 'approval'), stateBadge(task)),
    h('div', { class: 'card-title' }, task.title),
    h(
      'div',
      { class: 'card-meta' },
      h('span', { class: 'agent' }, task.session?.agent ?? task.agent ?? 'default agent'),
      attempts > 0 && h('span', {}, `${attempts} attempt${attempts === 1 ? '' : 's'}`),
      task.session && h('span', { class: 'when' }, ago(task.session.lastActivityAt)),
      watching > 0 && h('span', { class: 'watching' }, `${watching} watching`),
    ),
  );
}
