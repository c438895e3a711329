// The chat on a terminal: who wrote each message in words, continuation lines under the text, nothing in a
// message able to drive the terminal; and text the daemon would refuse caught before it is sent.
import type { ChatMessage } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { checkChatText, formatChat, senderName } from './chat-format.js';
import { palette } from './terminal.js';

const at = new Date(2026, 4, 4, 10, 11, 12).toISOString();
const message = (id: number, from: ChatMessage['from'], text: string): ChatMessage => ({ id, project: 'app', from, text, at });
const plain = palette(false);

describe('senderName', () => {
  it('names the local user as is and says what kind of link the others came through', () => {
    expect(senderName({ label: 'dev', kind: 'local' })).toBe('dev');
    expect(senderName({ label: 'alice', kind: 'control' })).toBe('alice (link)');
    expect(senderName({ label: 'bob', kind: 'view' })).toBe('bob (view-only link)');
  });
});

describe('formatChat', () => {
  it('puts time, sender and text in columns, and a message of several lines under its first', () => {
    const lines = formatChat(
      [message(1, { label: 'bob', kind: 'view' }, 'is #3 done?'), message(2, { label: 'dev', kind: 'local' }, 'almost:\n\tone test left')],
      plain,
    );
    expect(lines).toEqual([
      '2026-05-04 10:11  bob (view-only link)  is #3 done?',
      '2026-05-04 10:11  dev                   almost:',
      '                                        \tone test left',
    ]);
  });

  it('escapes what would drive the terminal, in the text and in the label', () => {
    const [line] = formatChat([message(1, { label: 'e\u001b]0;x\u0007', kind: 'control' }, 'rtl \u202e here')], plain);
    expect(line).toBe('2026-05-04 10:11  e\\x1b]0;x\\x07 (link)  rtl \\u202e here');
  });

  it('colours time and sender only when asked', () => {
    const [line] = formatChat([message(1, { label: 'dev', kind: 'local' }, 'hi')], palette(true));
    expect(line).toBe('\u001b[2m2026-05-04 10:11\u001b[22m  \u001b[1mdev\u001b[22m  hi');
  });
});

describe('checkChatText', () => {
  it('passes text with newlines, tabs and any script', () => {
    expect(checkChatText('ok\n\t✓ 中文 😀')).toBe('ok\n\t✓ 中文 😀');
  });

  it.each([
    ['', 'the message must not be empty'],
    [' \n', 'the message must not be empty'],
    ['x'.repeat(4001), 'the message is longer than 4000 characters'],
    ['clear\u001b[2J', 'the message holds a control character (\\x1b); only newlines and tabs may be sent'],
    ['cr\r\nlf', 'the message holds a control character (\\r); only newlines and tabs may be sent'],
  ])('refuses %j: %s', (text, why) => {
    expect(() => checkChatText(text)).toThrow(why);
  });
});
