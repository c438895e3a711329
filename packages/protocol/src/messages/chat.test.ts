// Tests for the chat, presence and idempotent-create schemas (@since 1.5).
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../limits.js';
import { METHODS } from '../methods.js';
import { parseVersion, PROTOCOL_VERSION } from '../version.js';
import { ChatListParams, ChatMessage, ChatPostParams } from './chat.js';
import { Hello } from './envelope.js';
import { EVENT_NAMES, EventData, LIVE_EVENTS } from './events.js';
import { SessionViewersParams, Viewer } from './presence.js';
import { TaskCreateParams, TaskCreateResult } from './task.js';

const message = { id: 7, project: 'myapp', from: { label: 'alice', kind: 'view' }, text: 'looks good\n\tship it', at: '2026-01-01T00:00:00.000Z' };

describe('ChatPostParams', () => {
  it('takes text with newlines and tabs, and an optional client id', () => {
    expect(ChatPostParams.parse({ project: 'myapp', text: 'hi\n\tthere', clientId: 'q-0123456789' })).toEqual({ project: 'myapp', text: 'hi\n\tthere', clientId: 'q-0123456789' });
    expect(ChatPostParams.parse({ text: 'é 😀 中' })).toEqual({ text: 'é 😀 中' });
  });

  it(`counts ${LIMITS.chatTextMax} characters as code points, as JSON Schema does`, () => {
    expect(ChatPostParams.safeParse({ text: '😀'.repeat(LIMITS.chatTextMax) }).success).toBe(true);
    expect(ChatPostParams.safeParse({ text: 'x'.repeat(LIMITS.chatTextMax + 1) }).error?.issues[0]?.message).toBe(`a chat message is longer than ${LIMITS.chatTextMax} characters`);
  });

  it.each(['', ' ', '\n\t '])('refuses the empty-looking text %j', (text) => {
    expect(ChatPostParams.safeParse({ text }).error?.issues.map((issue) => issue.message)).toContain('a chat message must not be empty');
  });

  it.each(['\u001b[2J', 'bell\u0007', 'cr\r', 'nul\u0000', 'del\u007f', 'c1\u009b'])('refuses the control character in %j', (text) => {
    expect(ChatPostParams.safeParse({ text }).error?.issues[0]?.message).toBe('a chat message may hold no control characters but newline and tab');
  });

  it.each(['short', 'x'.repeat(65), 'has space1', 'dot.in.id'])('refuses the client id %j', (clientId) => {
    expect(ChatPostParams.safeParse({ text: 'hi', clientId }).error?.issues[0]?.path).toEqual(['clientId']);
  });
});

describe('ChatListParams', () => {
  it('takes a limit of 1 to 500 and a message id to page before', () => {
    expect(ChatListParams.parse({})).toEqual({});
    expect(ChatListParams.parse({ limit: LIMITS.chatListMax, before: 3 })).toEqual({ limit: 500, before: 3 });
    for (const limit of [0, LIMITS.chatListMax + 1, 1.5]) expect(ChatListParams.safeParse({ limit }).success, String(limit)).toBe(false);
    expect(ChatListParams.safeParse({ before: 0 }).success).toBe(false);
  });
});

describe('ChatMessage and the chat.posted event', () => {
  it('carries the sender the daemon saw', () => {
    expect(ChatMessage.parse(message)).toEqual(message);
    expect(ChatMessage.safeParse({ ...message, from: { label: 'x', kind: 'admin' } }).success).toBe(false);
    expect(EventData.parse({ name: 'chat.posted', data: { message } })).toEqual({ name: 'chat.posted', data: { message } });
  });
});

describe('presence', () => {
  const viewer = { id: 'v1', label: 'phone', kind: 'control', device: 'Chrome on Android, vibe-web 0.1.0', readOnly: false, typing: true };

  it('lists viewers by session, in method and event alike', () => {
    expect(Viewer.parse(viewer)).toEqual(viewer);
    expect(SessionViewersParams.safeParse({}).success).toBe(false);
    expect(EventData.parse({ name: 'session.viewers', data: { session: 4, viewers: [viewer] } })).toMatchObject({ data: { viewers: [viewer] } });
  });

  it('takes a device of up to 100 characters in the hello', () => {
    const hello = { type: 'hello', protocol: '1.5', client: { name: 'vibe-web', version: '0.1.0' }, capabilities: ['presence'] };
    expect(Hello.parse({ ...hello, device: 'Safari on iPhone' })).toMatchObject({ device: 'Safari on iPhone' });
    expect(Hello.parse(hello)).not.toHaveProperty('device');
    expect(Hello.safeParse({ ...hello, device: 'x'.repeat(101) }).success).toBe(false);
  });
});

describe('live events', () => {
  it('are events, each with the version that brought it, no newer than this one', () => {
    const ours = parseVersion(PROTOCOL_VERSION)!;
    for (const [name, since] of Object.entries(LIVE_EVENTS)) {
      expect(EVENT_NAMES, name).toContain(name);
      expect(parseVersion(since)?.major, name).toBe(ours.major);
      expect(parseVersion(since)!.minor, name).toBeLessThanOrEqual(ours.minor);
    }
  });
});

describe('idempotent creates', () => {
  it('lets task.create carry a client id and answer duplicate', () => {
    expect(TaskCreateParams.parse({ title: 't', clientId: 'offline-0001' })).toEqual({ title: 't', clientId: 'offline-0001' });
    expect(TaskCreateParams.safeParse({ title: 't', clientId: 'x' }).success).toBe(false);
    expect(METHODS['task.create'].result).toBe(TaskCreateResult);
  });

  it('lets a view-only link chat and see presence, but not create tasks', () => {
    expect([METHODS['chat.post'].access, METHODS['chat.list'].access, METHODS['session.viewers'].access]).toEqual(['read', 'read', 'read']);
    expect(METHODS['task.create'].access).toBe('write');
  });
});
