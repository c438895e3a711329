// How tasks read on a terminal: the `task ls` table and the `task show` page. User text is always escaped.
import type { Task, TaskStatus } from '@vibe/protocol';
import { escapeText } from './escape.js';
import { formatTable, type Cell } from './table.js';
import type { Palette, Style } from './terminal.js';

export function statusStyle(status: TaskStatus, colors: Palette): Style {
  switch (status) {
    case 'todo':
      return colors.blue;
    case 'in_progress':
      return colors.yellow;
    case 'in_review':
      return colors.magenta;
    case 'done':
      return colors.green;
    case 'cancelled':
      return colors.dim;
  }
}

export interface TaskTableOptions {
  colors: Palette;
  /** Show a PROJECT column (tasks from several projects). */
  showProject: boolean;
  /** Terminal width: titles are cut to fit. Undefined (not a TTY) leaves them whole. */
  width?: number;
}

/** The `task ls` table: ID / STATUS / AGENT / TITLE, with PROJECT first when listing all projects. */
export function formatTaskTable(tasks: readonly Task[], options: TaskTableOptions): string[] {
  const { colors, showProject } = options;
  const headers = [...(showProject ? ['PROJECT'] : []), 'ID', 'STATUS', 'AGENT', 'TITLE'];
  const rows = tasks.map((task): Cell[] => [
    ...(showProject ? [escapeText(task.project)] : []),
    String(task.number),
    { text: task.status, style: statusStyle(task.status, colors) },
    task.agent === null ? { text: '-', style: colors.dim } : escapeText(task.agent),
    escapeText(task.title),
  ]);
  return formatTable(headers, rows, { maxWidth: options.width, shrink: headers.length - 1, headerStyle: colors.bold });
}

/** The `task show` page: fields, then the description body (multi-line, escaped). */
export function formatTaskDetail(task: Task, colors: Palette): string[] {
  const field = (name: string, value: string): string => `${colors.dim(name.padEnd(9))}${value}`;
  const lines = [
    `${colors.bold(`#${task.number}`)} ${escapeText(task.title)}`,
    field('project', escapeText(task.project)),
    field('status', statusStyle(task.status, colors)(task.status)),
    field('agent', task.agent === null ? colors.dim('(default)') : escapeText(task.agent)),
    field('created', task.createdAt),
    field('updated', task.updatedAt),
  ];
  if (task.description !== '') lines.push('', ...escapeText(task.description, { multiline: true }).replace(/\n+$/, '').split('\n'));
  return lines;
}

/** How a task is named in messages: `myapp#3`. */
export function taskName(task: Pick<Task, 'project' | 'number'>): string {
  return `${escapeText(task.project)}#${task.number}`;
}
