// How sessions read on a terminal: the `vibe ps` table and the summary `task start` prints.
import type { Session } from '@vibe/protocol';
import { stateStyle, stateText } from './agent-state-format.js';
import { formatBytes } from './byte-size.js';
import { timeAgo } from './duration.js';
import { escapeText } from './escape.js';
import { formatTable, type Cell } from './table.js';
import type { Palette } from './terminal.js';

export interface SessionStats {
  cpuPercent: number | null;
  memoryBytes: number | null;
}

export type ListedSession = Session & { stats: SessionStats };

export interface SessionTableOptions {
  colors: Palette;
  /** Show a PROJECT column (sessions from several projects). */
  showProject: boolean;
  /** For "3m ago"; tests pin it. */
  now?: number;
}

/** `vibe ps`: one row per session, with what its process costs while it runs. */
export function formatSessionTable(sessions: readonly ListedSession[], options: SessionTableOptions): string[] {
  const { colors, showProject, now } = options;
  const none: Cell = { text: '-', style: colors.dim };
  const headers = [...(showProject ? ['PROJECT'] : []), 'SESSION', 'TASK', 'ATTEMPT', 'AGENT', 'STATE', 'PID', 'CPU', 'MEM', 'ACTIVITY', 'HOST'];
  const rows = sessions.map((session): Cell[] => [
    ...(showProject ? [escapeText(session.project)] : []),
    String(session.id),
    String(session.taskNumber),
    String(session.attempt),
    escapeText(session.agent),
    { text: stateText(session), style: stateStyle(session, colors) },
    session.pid === null ? none : String(session.pid),
    session.stats.cpuPercent === null ? none : `${session.stats.cpuPercent.toFixed(1)}%`,
    session.stats.memoryBytes === null ? none : formatBytes(session.stats.memoryBytes),
    timeAgo(session.lastActivityAt, now),
    session.host,
  ]);
  const first = showProject ? 1 : 0;
  // SESSION, TASK, ATTEMPT, PID, CPU and MEM are numbers: right-aligned.
  const right = [0, 1, 2, 5, 6, 7].map((column) => column + first);
  return formatTable(headers, rows, { headerStyle: colors.bold, alignRight: right });
}

/** What `task start` prints: the new session and where its work happens. */
export function formatSessionSummary(session: Session, colors: Palette): string[] {
  const field = (name: string, value: string): string => `${colors.dim(name.padEnd(9))}${value}`;
  return [
    field('session', `${session.id} (attempt ${session.attempt})`),
    field('agent', escapeText(session.agent)),
    field('state', stateStyle(session, colors)(stateText(session))),
    field('branch', escapeText(session.branch)),
    field('worktree', escapeText(session.worktree)),
    field('host', session.host === 'pty' ? `pty ${colors.dim('(ends with the daemon)')}` : 'tmux'),
  ];
}
