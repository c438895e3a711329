// Tests for the inbox messages (@since 1.5): what a post and a read accept, and the shapes of a message and a receipt.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../limits.js';
import { METHODS } from '../methods.js';
import { EventData } from './events.js';
import { InboxMessage, InboxPostParams, InboxReadParams, InboxReadResult } from './inbox.js';

const message = {
  id: 7,
  project: 'app',
  to: 3,
  from: { task: 2, label: 'task 2' },
  text: 'The login API now returns 401 for expired tokens; adjust the client.',
  at: '2026-01-01T00:00:00.000Z',
  readAt: null,
};

describe('inbox.post params', () => {
  it('take a task, its text and optionally the sending task', () => {
    expect(InboxPostParams.parse({ project: 'app', number: 3, text: 'hi', fromTask: 2 })).toEqual({ project: 'app', number: 3, text: 'hi', fromTask: 2 });
    expect(InboxPostParams.safeParse({ number: 3, text: 'from a person' }).success).toBe(true);
  });

  it(`refuse empty text and text over ${LIMITS.inboxTextMax} characters, counted in code points`, () => {
    expect(InboxPostParams.safeParse({ number: 3, text: '' }).success).toBe(false);
    expect(InboxPostParams.safeParse({ number: 3, text: 'x'.repeat(LIMITS.inboxTextMax) }).success).toBe(true);
    expect(InboxPostParams.safeParse({ number: 3, text: 'x'.repeat(LIMITS.inboxTextMax + 1) }).success).toBe(false);
    expect(InboxPostParams.safeParse({ number: 3, text: '🙂'.repeat(LIMITS.inboxTextMax) }).success).toBe(true);
  });

  it('refuse a sending task that is not a task number', () => {
    for (const fromTask of [0, -1, 1.5, '2', null]) expect(InboxPostParams.safeParse({ number: 3, text: 'x', fromTask }).success, String(fromTask)).toBe(false);
  });
});

describe('inbox.read params', () => {
  it('need only the task; unreadOnly and markRead are optional flags', () => {
    expect(InboxReadParams.parse({ number: 3 })).toEqual({ number: 3 });
    expect(InboxReadParams.parse({ number: 3, unreadOnly: false, markRead: false })).toEqual({ number: 3, unreadOnly: false, markRead: false });
    expect(InboxReadParams.safeParse({ number: 3, markRead: 'yes' }).success).toBe(false);
    expect(InboxReadParams.safeParse({}).success).toBe(false);
  });
});

describe('an inbox message', () => {
  it('names its inbox, its sender (a task or a person) and whether it was read', () => {
    expect(InboxMessage.parse(message)).toEqual(message);
    expect(InboxMessage.safeParse({ ...message, from: { task: null, label: 'alice' }, readAt: '2026-01-01T00:01:00.000Z' }).success).toBe(true);
    expect(InboxReadResult.safeParse({ messages: [message] }).success).toBe(true);
  });

  it('is refused without a sender label or with a read time that is not a timestamp', () => {
    expect(InboxMessage.safeParse({ ...message, from: { task: 2 } }).success).toBe(false);
    expect(InboxMessage.safeParse({ ...message, readAt: 'yesterday' }).success).toBe(false);
  });
});

describe('inbox events', () => {
  it('carry the posted message, and the receipt: which ids of which inbox were read when', () => {
    expect(EventData.safeParse({ name: 'inbox.posted', data: { message } }).success).toBe(true);
    const receipt = { project: 'app', to: 3, ids: [7, 8], at: '2026-01-01T00:01:00.000Z' };
    expect(EventData.parse({ name: 'inbox.read', data: receipt })).toEqual({ name: 'inbox.read', data: receipt });
    expect(EventData.safeParse({ name: 'inbox.read', data: { ...receipt, ids: [] } }).success).toBe(false);
  });
});

describe('inbox access', () => {
  it('lets control connections post and read (reading marks read), never a view-only link', () => {
    expect(METHODS['inbox.post'].access).toBe('write');
    expect(METHODS['inbox.read'].access).toBe('write');
  });
});
