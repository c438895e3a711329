// Approval rows: recorded once per hook request, settled once (a second answer and any later write refused),
// logged in the task's history, listed by project, session and state, and gone with their task.
import { Approval, EventData } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { launchInput, otherConnection, storeWithTask } from './temp-store.js';

const ASK = { tool: 'Bash', detail: 'rm -rf build', options: ['allow', 'deny'], via: 'hook' as const };

function storeWithSession() {
  const made = storeWithTask();
  const { session } = made.store.createSession(made.project.id, 1, launchInput());
  return { ...made, session };
}

describe('approvals', () => {
  it('are recorded pending, in the wire shape, with approval.requested in the task\'s log', () => {
    const { store, project, session } = storeWithSession();
    const { stored, event } = store.requestApproval({ sessionId: session.id, ...ASK, requestKey: 'k'.repeat(20), hookPid: 4242 });
    const approval = stored.approval;
    expect(approval).toEqual({
      id: '1',
      project: 'app',
      taskNumber: 1,
      attempt: 1,
      session: session.id,
      agent: 'claude',
      ...ASK,
      state: 'pending',
      requestedAt: expect.any(String),
      answeredAt: null,
      answeredBy: null,
      reason: null,
    });
    expect(Approval.parse(approval)).toEqual(approval);
    expect(stored).toMatchObject({ projectId: project.id, hookPid: 4242 });
    expect(event).toMatchObject({ name: 'approval.requested', data: { approval } });
    expect(EventData.parse({ name: event!.name, data: event!.data })).toBeTruthy();
    expect(store.taskEvents(project.id, 1).at(-1)).toEqual(event);
  });

  it('are found again by the hook\'s request key, as they stand, with no second event', () => {
    const { store, session } = storeWithSession();
    const first = store.requestApproval({ sessionId: session.id, ...ASK, requestKey: 'same-key-0123456' });
    const seq = store.lastEventSeq();
    const again = store.requestApproval({ sessionId: session.id, ...ASK, detail: 'changed', requestKey: 'same-key-0123456' });
    expect(again).toEqual({ stored: first.stored });
    expect(store.lastEventSeq()).toBe(seq);
    store.answerApproval(1, { state: 'allowed', answeredBy: 'local', reason: null });
    expect(store.requestApproval({ sessionId: session.id, ...ASK, requestKey: 'same-key-0123456' }).stored.approval.state).toBe('allowed');
  });

  it('are answered once: a second answer is conflict naming the first, and nothing changes', () => {
    const { store, project, session } = storeWithSession();
    store.requestApproval({ sessionId: session.id, ...ASK });
    const { stored, event } = store.answerApproval(1, { state: 'denied', answeredBy: 'phone', reason: 'not that folder' });
    expect(stored.approval).toMatchObject({ state: 'denied', answeredBy: 'phone', reason: 'not that folder', answeredAt: expect.any(String) });
    expect(event).toMatchObject({ name: 'approval.answered', data: { approval: stored.approval } });
    expect(() => store.answerApproval(1, { state: 'allowed', answeredBy: 'local', reason: null })).toThrow(
      expect.objectContaining({ code: 'conflict', message: `approval 1 was already denied by phone at ${stored.approval.answeredAt}` }),
    );
    expect(() => store.answerApproval(9, { state: 'allowed', answeredBy: 'local', reason: null })).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(store.getApproval(1)?.approval).toEqual(stored.approval);
    expect(store.taskEvents(project.id, 1).filter((e) => e.name.startsWith('approval.')).map((e) => e.name)).toEqual(['approval.requested', 'approval.answered']);
  });

  it('cannot be changed once answered by any connection, nor answered without a time', () => {
    const { store, path, session } = storeWithSession();
    store.requestApproval({ sessionId: session.id, ...ASK });
    expect(() => otherConnection(path).prepare("UPDATE approvals SET state = 'allowed' WHERE id = 1").run()).toThrow(/CHECK constraint/);
    store.answerApproval(1, { state: 'cancelled', answeredBy: null, reason: 'the agent exited' });
    expect(() => otherConnection(path).prepare("UPDATE approvals SET state = 'allowed' WHERE id = 1").run()).toThrow(/answered once/);
  });

  it('are refused for a session that has exited, and refuse text that is not valid Unicode', () => {
    const { store, session } = storeWithSession();
    expect(() => store.requestApproval({ sessionId: session.id, ...ASK, detail: 'lone \ud800' })).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    store.updateSession(session.id, { state: 'exited', endedAt: '2026-01-02T00:00:00.000Z' });
    expect(() => store.requestApproval({ sessionId: session.id, ...ASK })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => store.requestApproval({ sessionId: 99, ...ASK })).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('are listed newest first by project, session and state, and go with their task', () => {
    const { store, project, session } = storeWithSession();
    store.requestApproval({ sessionId: session.id, ...ASK });
    store.requestApproval({ sessionId: session.id, ...ASK, via: 'screen', tool: 'dialog' });
    store.answerApproval(1, { state: 'allowed', answeredBy: 'local', reason: null });
    expect(store.listApprovals().map((s) => s.approval.id)).toEqual(['2', '1']);
    expect(store.listApprovals({ pending: true }).map((s) => s.approval.id)).toEqual(['2']);
    expect(store.listApprovals({ projectId: project.id, sessionId: session.id }).map((s) => s.approval.id)).toEqual(['2', '1']);
    expect(store.listApprovals({ projectId: project.id + 1 })).toEqual([]);
    store.removeTask(project.id, 1);
    expect(store.listApprovals()).toEqual([]);
  });
});
