// Approval messages (@since 1.5): an agent asking permission to use a tool, held by vibe until a person
// answers it — from the CLI, the board or the web view — or the agent's own dialog is answered first.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { ProjectSelector, Timestamp } from './common.js';

export const APPROVAL_STATES = ['pending', 'allowed', 'denied', 'cancelled'] as const;
export const ApprovalState = z.enum(APPROVAL_STATES);
export type ApprovalState = z.infer<typeof ApprovalState>;

/**
 * `hook`: the agent's own permission hook holds the request and gets the decision back, no keys typed.
 * `screen`: the agent has no such hook; the approval stands for its on-screen dialog, and answering it types
 * the agent's own key for allow or deny.
 */
export const ApprovalVia = z.enum(['hook', 'screen']);
export type ApprovalVia = z.infer<typeof ApprovalVia>;

/** Approval ids are the daemon's, decimal and never reused. */
export const ApprovalId = z.string().regex(/^[1-9]\d{0,15}$/, 'approval ids are numbers, as `vibe approvals` lists them');

/** @since 1.5 */
export const Approval = z.object({
  id: ApprovalId,
  project: z.string(),
  taskNumber: z.number().int().positive(),
  attempt: z.number().int().positive(),
  session: z.number().int().positive(),
  agent: z.string(),
  tool: z.string().describe('What the agent asks to use: Bash, Write, write_file, …, or "dialog" for an on-screen one'),
  detail: z.string().describe('The exact command, file or input it asks about (cut at the limit, never summarised)'),
  options: z.array(z.string()).describe('The answers it takes, in the agent\'s words where it gave them'),
  via: ApprovalVia,
  state: ApprovalState,
  requestedAt: Timestamp,
  answeredAt: Timestamp.nullable(),
  answeredBy: z.string().nullable().describe('Who answered, as a chat sender is named (a link\'s label, the machine\'s user), or "desk" for the agent\'s own dialog'),
  reason: z.string().nullable().describe('The reason given with a deny, or why the approval was cancelled'),
});
export type Approval = z.infer<typeof Approval>;

export const ApprovalListParams = ProjectSelector.extend({
  allProjects: z.boolean().optional(),
  pending: z.boolean().optional().describe('Only approvals still waiting for an answer'),
});
export const ApprovalListResult = z.object({ approvals: z.array(Approval).describe('Newest first') });

export const ApprovalDecision = z.enum(['allow', 'deny']);
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

export const ApprovalAnswerParams = z.object({
  id: ApprovalId,
  decision: ApprovalDecision,
  reason: z.string().max(LIMITS.approvalReasonMax).optional().describe('Passed to the agent with a deny'),
});
export const ApprovalAnswerResult = z.object({ approval: Approval });

/**
 * The hook program's side (`local`): registers the agent's request and is answered once a person decides, or
 * the approval is cancelled. `request` is the hook's own id for it, so a hook that lost the daemon (a restart)
 * asks again with the same id and waits on the same approval.
 */
export const ApprovalRequestParams = z.object({
  session: z.number().int().positive(),
  token: z.string().min(16).max(128).describe('The per-session secret vibe gave the hook'),
  request: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).describe('Chosen by the hook; the same on every retry of one request'),
  tool: z.string().min(1).max(200),
  detail: z.string().max(LIMITS.approvalDetailMax),
  options: z.array(z.string().min(1).max(200)).max(10).optional(),
  pid: z.number().int().positive().optional().describe('The hook process: a restarted daemon cancels approvals whose hook is gone'),
});
export const ApprovalRequestResult = z.object({ approval: Approval.describe('Answered or cancelled; never pending') });
