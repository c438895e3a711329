// How `vibe status` reads: the daemon's facts, then task counts per project and in total.
import { TASK_STATUSES, type DaemonStatus, type TaskStatus } from '@vibe/protocol';
import { humaniseSeconds } from './duration.js';
import { escapeText } from './escape.js';
import { formatTable, type Cell } from './table.js';
import type { Palette } from './terminal.js';

type Counts = Partial<Record<TaskStatus, number>>;

function total(counts: Counts): number {
  return TASK_STATUSES.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
}

export function formatDaemonStatus(status: DaemonStatus, colors: Palette): string[] {
  const field = (name: string, value: string): string => `${colors.dim(name.padEnd(9))}${value}`;
  const lines = [
    field('daemon', `${colors.green('running')} (pid ${status.pid}, version ${escapeText(status.version)}, protocol ${escapeText(status.protocol)})`),
    field('uptime', `${humaniseSeconds(status.uptimeSeconds)} (since ${status.startedAt})`),
    field('socket', escapeText(status.socketPath)),
    field('data', escapeText(status.paths.data)),
    '',
  ];
  if (status.projects.length === 0) {
    lines.push('no projects yet — run `vibe up` inside a git repository');
    return lines;
  }
  const countCells = (counts: Counts): Cell[] =>
    [...TASK_STATUSES.map((s) => counts[s] ?? 0), total(counts)].map((n) => (n === 0 ? { text: '0', style: colors.dim } : String(n)));
  const rows: Cell[][] = status.projects.map((project) => [
    escapeText(project.name),
    ...countCells(project.tasks),
    escapeText(project.baseBranch),
    escapeText(project.path),
  ]);
  rows.push([{ text: 'total', style: colors.bold }, ...countCells(status.tasks), '', '']);
  const countColumns = TASK_STATUSES.map((_, index) => index + 1);
  lines.push(
    ...formatTable(['PROJECT', ...TASK_STATUSES.map((s) => s.toUpperCase()), 'TOTAL', 'BRANCH', 'PATH'], rows, {
      headerStyle: colors.bold,
      alignRight: [...countColumns, TASK_STATUSES.length + 1],
    }),
  );
  return lines;
}
