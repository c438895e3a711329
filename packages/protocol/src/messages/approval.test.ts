// The approval schemas (@since 1.5): ids as `vibe approvals` prints them, a reason only within its limit,
// and the hook's request bounded so an agent's huge input cannot fill a message.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../limits.js';
import { ApprovalAnswerParams, ApprovalListParams, ApprovalRequestParams } from './approval.js';

describe('approval.answer params', () => {
  it('take an id, allow or deny, and an optional reason up to its limit', () => {
    expect(ApprovalAnswerParams.safeParse({ id: '12', decision: 'allow' }).success).toBe(true);
    expect(ApprovalAnswerParams.safeParse({ id: '12', decision: 'deny', reason: 'r'.repeat(LIMITS.approvalReasonMax) }).success).toBe(true);
    expect(ApprovalAnswerParams.safeParse({ id: '12', decision: 'deny', reason: 'r'.repeat(LIMITS.approvalReasonMax + 1) }).success).toBe(false);
  });

  it('refuse other decisions and ids that are not approval ids', () => {
    for (const params of [{ id: '12', decision: 'maybe' }, { id: '0', decision: 'allow' }, { id: '#3', decision: 'allow' }, { id: 12, decision: 'allow' }, { decision: 'allow' }]) {
      expect(ApprovalAnswerParams.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });
});

describe('approval.list params', () => {
  it('take a project, all projects, or nothing, and pending only', () => {
    expect(ApprovalListParams.safeParse({}).success).toBe(true);
    expect(ApprovalListParams.safeParse({ project: 'app', pending: true }).success).toBe(true);
    expect(ApprovalListParams.safeParse({ allProjects: true }).success).toBe(true);
  });
});

describe('approval.request params', () => {
  const base = { session: 3, token: 't'.repeat(48), request: 'AbC_-0123456789xyz', tool: 'Bash', detail: 'ls' };

  it('take the session, its token, the hook\'s own request id and what is asked', () => {
    expect(ApprovalRequestParams.safeParse(base).success).toBe(true);
    expect(ApprovalRequestParams.safeParse({ ...base, options: ['allow', 'deny'], pid: 4242 }).success).toBe(true);
  });

  it('bound the detail and refuse a short or odd request id', () => {
    expect(ApprovalRequestParams.safeParse({ ...base, detail: 'x'.repeat(LIMITS.approvalDetailMax + 1) }).success).toBe(false);
    expect(ApprovalRequestParams.safeParse({ ...base, request: 'short' }).success).toBe(false);
    expect(ApprovalRequestParams.safeParse({ ...base, request: 'has spaces in it, see' }).success).toBe(false);
    expect(ApprovalRequestParams.safeParse({ ...base, tool: '' }).success).toBe(false);
  });
});
