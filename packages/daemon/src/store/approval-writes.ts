// The approval writes: recording what an agent asks (once per hook request) and settling it once, each with
// its logged event, scoped to the task so `vibe task log` shows every request and who answered it.
import { ProtocolError } from '@vibe/protocol';
import type { ApprovalAnswer, NewApproval, StoredApproval } from './approvals.js';
import type { StoreTables } from './store-tables.js';
import type { EventOf } from './store-types.js';
import { assertWellFormed } from './verbatim.js';

export function checkNewApproval(input: NewApproval): void {
  assertWellFormed('tool', input.tool);
  assertWellFormed('detail', input.detail);
  for (const option of input.options) assertWellFormed('options', option);
}

/**
 * A new pending approval and approval.requested; or, for a request key already recorded, that approval as it
 * stands now (a hook asking again after a restart), with no event.
 */
export function recordApproval(tables: StoreTables, input: NewApproval): { stored: StoredApproval; event?: EventOf<'approval.requested'> } {
  if (input.requestKey !== undefined) {
    const known = tables.approvals.byRequestKey(input.requestKey);
    if (known && known.approval.session !== input.sessionId) throw new ProtocolError('conflict', `request ${input.requestKey} belongs to another session`);
    if (known) return { stored: known };
  }
  const { session, projectId } = tables.requireSession(input.sessionId);
  if (session.state === 'exited') throw new ProtocolError('conflict', `session ${session.id} has exited; it can ask nothing more`);
  const at = tables.stamp();
  const stored = tables.approvals.insert(input, at);
  const event = tables.events.append({ name: 'approval.requested', data: { approval: stored.approval } }, at, { projectId, taskNumber: session.taskNumber });
  return { stored, event };
}

/** Settles a pending approval and logs approval.answered; `conflict` when it was settled before. */
export function settleApproval(tables: StoreTables, id: number, answer: ApprovalAnswer): { stored: StoredApproval; event: EventOf<'approval.answered'> } {
  if (answer.reason !== null) assertWellFormed('reason', answer.reason);
  const at = tables.stamp();
  const stored = tables.approvals.answerAt(id, answer, at);
  const { approval } = stored;
  const event = tables.events.append({ name: 'approval.answered', data: { approval } }, at, { projectId: stored.projectId, taskNumber: approval.taskNumber });
  return { stored, event };
}
