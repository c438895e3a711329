// How approvals read on a terminal: the `vibe approvals` table, one approval in full, and the one-line
// summaries the task log, `vibe approve` and the board show.
import type { Approval } from '@vibe/protocol';
import { timeAgo } from './duration.js';
import { escapeText } from './escape.js';
import { formatTable, type Cell } from './table.js';
import type { Palette, Style } from './terminal.js';

export interface ApprovalTableOptions {
  colors: Palette;
  /** Terminal width: the DETAIL column is cut to fit. */
  width?: number;
  /** Show STATE and BY (answered ones are listed too). */
  answered: boolean;
  /** For "3m ago"; tests pin it. */
  now?: number;
}

/** The detail's first line, escaped: what the agent will do, in its own words. */
export function detailLine(approval: Pick<Approval, 'detail'>): string {
  const [first = ''] = approval.detail.split('\n');
  return escapeText(first) + (approval.detail.includes('\n') ? ' …' : '');
}

/** `#3` within one project, `app#3` when approvals of several are listed. */
export function approvalTask(approval: Pick<Approval, 'project' | 'taskNumber'>, withProject: boolean): string {
  return withProject ? `${escapeText(approval.project)}#${approval.taskNumber}` : `#${approval.taskNumber}`;
}

export function stateStyleOf(approval: Pick<Approval, 'state'>, colors: Palette): Style | undefined {
  return { pending: colors.yellow, allowed: colors.green, denied: colors.red, cancelled: colors.dim }[approval.state];
}

export function formatApprovalTable(approvals: readonly Approval[], options: ApprovalTableOptions): string[] {
  const { colors, answered, now } = options;
  const withProject = new Set(approvals.map((approval) => approval.project)).size > 1;
  const headers = ['ID', 'TASK', 'AGENT', 'TOOL', 'DETAIL', 'ASKED', ...(answered ? ['STATE', 'BY'] : [])];
  const rows = approvals.map((approval): Cell[] => [
    approval.id,
    approvalTask(approval, withProject),
    escapeText(approval.agent),
    approval.via === 'screen' ? { text: 'dialog (on screen)', style: colors.dim } : escapeText(approval.tool),
    detailLine(approval),
    timeAgo(approval.requestedAt, now),
    ...(answered ? [{ text: approval.state, style: stateStyleOf(approval, colors) }, escapeText(approval.answeredBy ?? '-')] : []),
  ]);
  return formatTable(headers, rows, { maxWidth: options.width, shrink: 4, headerStyle: colors.bold, alignRight: [0] });
}

/** A detail longer than this, or of more than one line, is printed in full below the table as well. */
const TABLE_DETAIL_MAX = 60;
/** ...up to this many lines (a file an agent would write can be long). */
const DETAIL_LINES_MAX = 40;

/**
 * Every detail the table cannot show whole, in full, each line escaped and indented: nobody should approve a
 * command of which they saw only the first line (`echo ok &&` over `rm -rf ~`).
 */
export function formatApprovalDetails(approvals: readonly Approval[]): string[] {
  const lines: string[] = [];
  for (const approval of approvals) {
    if (!approval.detail.includes('\n') && approval.detail.length <= TABLE_DETAIL_MAX) continue;
    lines.push('', `approval ${approval.id} (${approvalTask(approval, true)} ${escapeText(approval.tool)}) in full:`);
    const detail = approval.detail.split('\n');
    for (const line of detail.slice(0, DETAIL_LINES_MAX)) lines.push(`    ${escapeText(line)}`);
    if (detail.length > DETAIL_LINES_MAX) lines.push(`    … ${detail.length - DETAIL_LINES_MAX} more lines (\`vibe approvals --json\` has them all)`);
  }
  return lines;
}

/** What `vibe approve` / `vibe deny` print: the approval as now settled. */
export function approvalOutcome(approval: Approval): string {
  const what = `approval ${approval.id} (${approvalTask(approval, true)} ${escapeText(approval.tool)}: ${detailLine(approval)})`;
  if (approval.state === 'allowed') return `allowed ${what}`;
  if (approval.state === 'denied') return `denied ${what}${approval.reason ? ` — ${escapeText(approval.reason)}` : ''}`;
  return `${approval.state} ${what}`;
}

/** The task log's line for an approval event: what was asked, or how and by whom it was settled. */
export function approvalLogLine(approval: Approval, requested: boolean): string {
  const asked = `${escapeText(approval.tool)}: ${detailLine(approval)}`;
  if (requested) return `approval ${approval.id} asked (${approval.via === 'screen' ? 'on screen' : 'hook'}) ${asked}`;
  const by = approval.answeredBy === null ? '' : ` by ${escapeText(approval.answeredBy)}`;
  const reason = approval.reason === null ? '' : ` — ${escapeText(approval.reason)}`;
  return `approval ${approval.id} ${approval.state}${by}${reason}`;
}
