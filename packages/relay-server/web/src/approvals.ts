// Approvals in the page: what an agent asks to do — the tool and the exact command or file — with Allow and
// Deny (a reason optional) for a control link; a view-only link sees them and cannot answer. Answers go
// through the offline queue, so one given while the daemon is away is applied, once, when it is back.
import type { Approval } from '@vibe/protocol';
import { h } from './dom.js';

export type Answer = (approval: Approval, decision: 'allow' | 'deny', reason?: string) => void;

/** Pending approvals as a list of cards; `compact` leaves out the task line (inside that task's terminal). */
export function renderApprovals(approvals: Approval[], options: { readOnly: boolean; answer: Answer; compact?: boolean; open?: (approval: Approval) => void }): HTMLElement | undefined {
  if (approvals.length === 0) return undefined;
  return h(
    'section',
    { class: 'approvals', 'aria-label': 'Waiting for approval' },
    ...approvals.map((approval) => renderApproval(approval, options)),
  );
}

function renderApproval(approval: Approval, options: { readOnly: boolean; answer: Answer; compact?: boolean; open?: (approval: Approval) => void }): HTMLElement {
  const reason = h('input', { name: 'reason', placeholder: 'Reason (optional, sent to the agent)', maxlength: 2000, 'aria-label': 'Reason for denying', hidden: true });
  const deny = (): void => {
    // The first tap shows the reason field; the second denies (with or without one).
    if (reason.hidden) {
      reason.hidden = false;
      reason.focus();
      return;
    }
    options.answer(approval, 'deny', reason.value.trim() || undefined);
  };
  return h(
    'article',
    { class: 'approval', 'data-approval': approval.id },
    h(
      'div',
      { class: 'approval-head' },
      h('span', { class: 'badge badge-waiting' }, 'approval'),
      h('strong', {}, `${approval.agent} wants ${approval.tool}`),
      !options.compact && h('button', { class: 'link-button', type: 'button', onclick: () => options.open?.(approval) }, `#${approval.taskNumber}`),
      approval.via === 'screen' && h('span', { class: 'muted', title: 'This agent has no permission hook: answering types its own key for the choice' }, 'on-screen dialog'),
    ),
    approval.detail && h('pre', { class: 'approval-detail' }, approval.detail),
    options.readOnly
      ? h('p', { class: 'muted' }, 'Waiting for someone with a control link to answer.')
      : h(
          'div',
          { class: 'approval-actions' },
          reason,
          h('button', { class: 'button button-primary', type: 'button', 'data-action': 'allow', onclick: () => options.answer(approval, 'allow') }, 'Allow'),
          h('button', { class: 'button button-danger', type: 'button', 'data-action': 'deny', onclick: deny }, 'Deny'),
        ),
  );
}

/** "Allow Bash: rm -rf build" — what the offline queue shows for a pending answer. */
export function answerLabel(approval: Approval, decision: 'allow' | 'deny'): string {
  const detail = approval.detail.length > 60 ? `${approval.detail.slice(0, 57)}…` : approval.detail;
  return `${decision === 'allow' ? 'Allow' : 'Deny'} ${approval.tool}${detail ? `: ${detail}` : ''} (#${approval.taskNumber})`;
}
