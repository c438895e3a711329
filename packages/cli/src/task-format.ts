// How tasks read on a terminal: the `task ls` table and the `task show` page. User text is always escaped.
import type { Session, Task, TaskStatus } from '@vibe/protocol';
import { stateBadge, stateStyle, stateText } from './agent-state-format.js';
import { timeAgo } from './duration.js';
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

/**
 * The `task ls` table: ID / STATUS / AGENT / STATE / ATTEMPTS / TITLE, with PROJECT first when listing all
 * projects. AGENT is the agent of the newest attempt once there is one (it may differ from the task's
 * choice: `task start --agent`), else the task's choice; STATE is that attempt's agent state.
 */
export function formatTaskTable(tasks: readonly Task[], options: TaskTableOptions): string[] {
  const { colors, showProject } = options;
  const headers = [...(showProject ? ['PROJECT'] : []), 'ID', 'STATUS', 'AGENT', 'STATE', 'ATTEMPTS', 'TITLE'];
  const none = { text: '-', style: colors.dim };
  const rows = tasks.map((task): Cell[] => {
    const agent = task.session?.agent ?? task.agent;
    const attempts = task.attempts ?? 0;
    return [
      ...(showProject ? [escapeText(task.project)] : []),
      String(task.number),
      { text: task.status, style: statusStyle(task.status, colors) },
      agent === null ? none : escapeText(agent),
      task.session ? { text: stateText(task.session), style: stateStyle(task.session, colors) } : none,
      attempts === 0 ? { text: '0', style: colors.dim } : String(attempts),
      escapeText(task.title),
    ];
  });
  const attemptsColumn = headers.indexOf('ATTEMPTS');
  return formatTable(headers, rows, {
    maxWidth: options.width,
    shrink: headers.length - 1,
    headerStyle: colors.bold,
    alignRight: [attemptsColumn],
  });
}

export interface TaskDetailOptions {
  /** The task's sessions (every attempt), for branch and worktree; the newest attempt is shown in full. */
  sessions?: readonly Session[];
  /** For "last activity 3m ago"; tests pin it. */
  now?: number;
}

/** The `task show` page: fields, the newest attempt, every attempt when there are several, then the description. */
export function formatTaskDetail(task: Task, colors: Palette, options: TaskDetailOptions = {}): string[] {
  const field = (name: string, value: string): string => `${colors.dim(name.padEnd(9))}${value}`;
  const lines = [
    `${colors.bold(`#${task.number}`)} ${escapeText(task.title)}`,
    field('project', escapeText(task.project)),
    field('status', statusStyle(task.status, colors)(task.status)),
    field('agent', task.agent === null ? colors.dim('(default)') : escapeText(task.agent)),
    field('created', task.createdAt),
    field('updated', task.updatedAt),
  ];
  if (task.session) {
    const newest = task.session;
    const attempts = [...(options.sessions ?? [])].sort((a, b) => a.attempt - b.attempt);
    const full = attempts.find((session) => session.id === newest.id);
    lines.push(
      field('attempts', `${task.attempts ?? newest.attempt} (newest: attempt ${newest.attempt}, session ${newest.id})`),
      field('state', `${stateBadge(newest, colors)} — ${escapeText(newest.agent)}, last activity ${timeAgo(newest.lastActivityAt, options.now)}`),
    );
    if (full) lines.push(field('branch', escapeText(full.branch)), field('worktree', escapeText(full.worktree)));
    if (attempts.length > 1) lines.push('', ...formatAttempts(attempts, colors));
  } else if (task.attempts !== undefined) {
    // A daemon older than sessions sends neither field: then say nothing about attempts.
    lines.push(field('attempts', colors.dim('0 — not started yet')));
  }
  if (task.description !== '') lines.push('', ...escapeText(task.description, { multiline: true }).replace(/\n+$/, '').split('\n'));
  return lines;
}

/** Every attempt of one task, oldest first. */
function formatAttempts(sessions: readonly Session[], colors: Palette): string[] {
  const rows = sessions.map((session): Cell[] => [
    String(session.attempt),
    String(session.id),
    escapeText(session.agent),
    { text: stateText(session), style: stateStyle(session, colors) },
    escapeText(session.branch),
    escapeText(session.worktree),
  ]);
  return formatTable(['ATTEMPT', 'SESSION', 'AGENT', 'STATE', 'BRANCH', 'WORKTREE'], rows, { headerStyle: colors.bold, alignRight: [0, 1] });
}

/** How a task is named in messages: `myapp#3`. */
export function taskName(task: Pick<Task, 'project' | 'number'>): string {
  return `${escapeText(task.project)}#${task.number}`;
}
