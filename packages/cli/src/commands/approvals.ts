// `vibe approvals`, `vibe approve ID`, `vibe deny ID [--reason TEXT]`: what agents asked permission for, and
// the answer that lets them go on. The first answer wins, here, on the board, in the web view or at the desk.
import type { ApprovalDecision } from '@vibe/protocol';
import { approvalOutcome, formatApprovalDetails, formatApprovalTable } from '../approval-format.js';
import { withDaemon } from '../daemon-connection.js';
import { UsageError } from '../errors.js';
import { escapeText } from '../escape.js';
import { printJson, printLines, say } from '../output.js';
import { stdoutPalette, terminalWidth } from '../terminal.js';

export interface ApprovalsOptions {
  /** Answered and cancelled ones too, not just those waiting. */
  all?: boolean;
  project?: string;
  json?: boolean;
}

/** Pending approvals wait for someone wherever they are: every project's, unless --project names one. */
export async function approvals(options: ApprovalsOptions): Promise<void> {
  const result = await withDaemon(({ client }) =>
    client.request('approval.list', { ...(options.project !== undefined && { project: options.project }), ...(!options.all && { pending: true }) }),
  );
  if (options.json) return printJson(result);
  if (result.approvals.length === 0) {
    const where = options.project === undefined ? '' : ` in ${escapeText(options.project)}`;
    return say(options.all ? `no approvals yet${where}` : `nothing waits for an answer${where}`);
  }
  printLines(formatApprovalTable(result.approvals, { colors: stdoutPalette(), width: terminalWidth(process.stdout), answered: options.all === true }));
  if (options.all) return;
  printLines(formatApprovalDetails(result.approvals));
  say('answer with `vibe approve ID` or `vibe deny ID [--reason TEXT]`');
}

export interface AnswerOptions {
  reason?: string;
  json?: boolean;
}

export function approve(id: string, options: AnswerOptions): Promise<void> {
  return answer(id, 'allow', options);
}

export function deny(id: string, options: AnswerOptions): Promise<void> {
  return answer(id, 'deny', options);
}

async function answer(id: string, decision: ApprovalDecision, options: AnswerOptions): Promise<void> {
  const number = id.replace(/^#/, '');
  if (!/^[1-9]\d{0,15}$/.test(number)) throw new UsageError(`"${id}" is not an approval id — \`vibe approvals\` lists them`);
  const { approval } = await withDaemon(({ client }) =>
    client.request('approval.answer', { id: number, decision, ...(options.reason !== undefined && { reason: options.reason }) }),
  );
  if (options.json) printJson({ approval });
  else say(approvalOutcome(approval));
}
