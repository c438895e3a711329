// How `vibe status` reads: the daemon's facts, the machine's, then task counts per project and in total.
import { TASK_STATUSES, type DaemonStatus, type RelayStatus, type TaskStatus } from '@vibe/protocol';
import { formatBytes } from './byte-size.js';
import { humaniseSeconds } from './duration.js';
import { escapeText } from './escape.js';
import { relayLine } from './link-format.js';
import { formatTable, type Cell } from './table.js';
import type { Palette } from './terminal.js';
import { versionSkewLine } from './version-skew.js';

type Counts = Partial<Record<TaskStatus, number>>;

function total(counts: Counts): number {
  return TASK_STATUSES.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
}

/** `cliVersion` is the version of the vibe asking, shown beside the daemon's; a difference says what to do. */
export function formatDaemonStatus(status: DaemonStatus & { relay?: RelayStatus }, colors: Palette, cliVersion?: string): string[] {
  const field = (name: string, value: string): string => `${colors.dim(name.padEnd(9))}${value}`;
  const skew = cliVersion === undefined ? undefined : versionSkewLine(status.version, cliVersion);
  const lines = [
    field('daemon', `${colors.green('running')} (pid ${status.pid}, version ${escapeText(status.version)}, protocol ${escapeText(status.protocol)})`),
    ...(cliVersion === undefined ? [] : [field('vibe', `${escapeText(cliVersion)} (this command)${skew ? colors.yellow(` — ${skew}`) : ''}`)]),
    field('uptime', `${humaniseSeconds(status.uptimeSeconds)} (since ${status.startedAt})`),
    field('socket', escapeText(status.socketPath)),
    field('data', escapeText(status.paths.data)),
    // Both are absent from a daemon older than sessions.
    ...(status.sessionHost ? [field('sessions', sessionHost(status.sessionHost, colors))] : []),
    ...(status.relay ? [field('relay', relayLine(status.relay, colors))] : []),
    ...(status.machine ? machineLines(status.machine, field) : []),
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

function sessionHost(host: NonNullable<DaemonStatus['sessionHost']>, colors: Palette): string {
  if (host === 'tmux') return 'tmux (agents keep running across daemon restarts)';
  return `pty ${colors.yellow('(tmux not found: sessions will not survive a daemon restart)')}`;
}

function machineLines(machine: NonNullable<DaemonStatus['machine']>, field: (name: string, value: string) => string): string[] {
  const load = machine.loadAverage.map((value) => value.toFixed(2)).join(' ');
  const disk =
    machine.diskFreeBytes === null || machine.diskTotalBytes === null
      ? 'unknown'
      : `${formatBytes(machine.diskFreeBytes)} free of ${formatBytes(machine.diskTotalBytes)}`;
  return [
    field('machine', `${machine.cpus} CPU${machine.cpus === 1 ? '' : 's'}, load ${load}, up ${humaniseSeconds(machine.uptimeSeconds)}`),
    field('memory', `${formatBytes(machine.memoryFreeBytes)} free of ${formatBytes(machine.memoryTotalBytes)}`),
    field('disk', disk),
  ];
}
