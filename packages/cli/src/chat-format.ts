// How a project's chat reads on a terminal: one message per block — time, who, what — and its text checked
// against the protocol's rules before it is sent, so a mistake is one clear line rather than a daemon error.
import { LIMITS, type ChatMessage } from '@vibe/protocol';
import { escapeText } from './escape.js';
import { UsageError } from './errors.js';
import { shortTime } from './log-format.js';
import { longerThan } from './task-text.js';
import type { Palette } from './terminal.js';

/** Who wrote it, for people: a link's kind in words, nothing for the daemon's own machine. */
export function senderName(from: ChatMessage['from']): string {
  const label = escapeText(from.label);
  if (from.kind === 'view') return `${label} (view-only link)`;
  if (from.kind === 'control') return `${label} (link)`;
  return label;
}

/**
 * `TIME  WHO  TEXT`, the names padded to one column; a message of several lines continues under its first.
 * Text is escaped (a teammate's message must not drive this terminal) but keeps its newlines and tabs.
 */
export function formatChat(messages: readonly ChatMessage[], colors: Palette): string[] {
  const senders = messages.map((message) => senderName(message.from));
  const width = Math.max(0, ...senders.map((name) => [...name].length));
  return messages.flatMap((message, i) => {
    const time = shortTime(message.at);
    const sender = senders[i]!;
    const indent = ' '.repeat([...time].length + 2 + width + 2);
    const [first = '', ...rest] = escapeText(message.text, { multiline: true }).split('\n');
    const padding = ' '.repeat(width - [...sender].length);
    return [`${colors.dim(time)}  ${colors.bold(sender)}${padding}  ${first}`, ...rest.map((line) => `${indent}${line}`)];
  });
}

/** What the daemon would accept (ChatText in protocol/src/messages/chat.ts), with its reasons in the CLI's words. */
export function checkChatText(text: string): string {
  if (text.trim() === '') throw new UsageError('the message must not be empty');
  if (longerThan(text, LIMITS.chatTextMax)) throw new UsageError(`the message is longer than ${LIMITS.chatTextMax} characters`);
  const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.exec(text);
  if (control) throw new UsageError(`the message holds a control character (${escapeText(control[0])}); only newlines and tabs may be sent`);
  return text;
}
