// How a task's history reads: one line per event that matters to a person — time, event, what happened.
import type { MethodResult, Session } from '@vibe/protocol';
import { approvalLogLine } from './approval-format.js';
import { escapeText } from './escape.js';
import { formatTable } from './table.js';
import type { Palette } from './terminal.js';

export type LogEntry = MethodResult<'task.log'>['entries'][number];

export interface LogFormatOptions {
  colors: Palette;
  /** Terminal width: details (a review comment, say) are cut to fit. Undefined leaves them whole. */
  width?: number;
}

/**
 * The TIME / EVENT / DETAILS table. Session updates that change nothing a person follows (a resize, a new
 * pid) are left out; `--json` has every entry.
 */
export function formatTaskLog(entries: readonly LogEntry[], options: LogFormatOptions): string[] {
  const { colors } = options;
  const sessions = new Map<number, Session>();
  const rows = entries.flatMap((entry) => {
    const details = describe(entry, sessions);
    return details === undefined ? [] : [[{ text: shortTime(entry.at), style: colors.dim }, entry.name, details]];
  });
  return formatTable(['TIME', 'EVENT', 'DETAILS'], rows, { maxWidth: options.width, shrink: 2, headerStyle: colors.bold });
}

/** What one entry says, escaped; undefined for an entry not worth a line. */
function describe(entry: LogEntry, sessions: Map<number, Session>): string | undefined {
  switch (entry.name) {
    case 'task.created':
      return `created "${escapeText(entry.data.task.title)}"`;
    case 'task.updated':
      return entry.data.changed.length === 0 ? 'edited' : `edited ${entry.data.changed.join(', ')}`;
    case 'task.moved':
      return `moved ${entry.data.from} → ${entry.data.task.status}`;
    case 'task.removed':
      return 'removed';
    case 'task.reviewed':
      return `review: "${escapeText(entry.data.comment)}"`;
    case 'task.merged':
      return `merged (${entry.data.mode}) as ${escapeText(entry.data.commit.slice(0, 7))}`;
    case 'session.updated':
      return sessionChange(entry.data.session, sessions);
    case 'approval.requested':
      return approvalLogLine(entry.data.approval, true);
    case 'approval.answered':
      return approvalLogLine(entry.data.approval, false);
    case 'inbox.posted':
      return `message from ${escapeText(entry.data.message.from.label)}: "${escapeText(entry.data.message.text)}"`;
    case 'inbox.read':
      return entry.data.ids.length === 1 ? 'read 1 message' : `read ${entry.data.ids.length} messages`;
    case 'project.registered':
    case 'project.updated':
      return undefined;
  }
}

function sessionChange(session: Session, sessions: Map<number, Session>): string | undefined {
  const before = sessions.get(session.id);
  sessions.set(session.id, session);
  const state = session.state === 'exited' ? exited(session) : `agent ${session.state}`;
  if (!before) {
    const started = `attempt ${session.attempt} started with ${escapeText(session.agent)} on ${escapeText(session.branch)}`;
    return session.state === 'starting' ? started : `${started}; ${state}`;
  }
  return before.state === session.state ? undefined : state;
}

function exited(session: Session): string {
  return session.exitCode === null ? 'agent exited' : `agent exited (code ${session.exitCode})`;
}

/** `2026-05-04 10:11` in local time; the raw text when it does not parse. */
export function shortTime(timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return escapeText(timestamp);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
