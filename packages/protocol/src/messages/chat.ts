// Chat messages (@since 1.5): one conversation per project, kept by the daemon and pushed live, so the people
// watching a project's agents — at the desk, on a phone, through a view-only link — can talk beside the board.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { ClientId, ProjectSelector, Timestamp } from './common.js';

/** Who wrote a message, as the daemon saw the connection it came over; never what the client claims. */
export const ChatSender = z.object({
  label: z.string().describe('@since 1.5 The link\'s label, or the user name of the daemon\'s machine for the local socket'),
  kind: z.enum(['local', 'control', 'view']).describe('@since 1.5 The local socket, a control link or a view-only link'),
});
export type ChatSender = z.infer<typeof ChatSender>;

export const ChatMessage = z.object({
  id: z.number().int().positive().describe('@since 1.5 Daemon-wide, increasing with time; never reused'),
  project: z.string().describe('@since 1.5 Project name'),
  from: ChatSender,
  text: z.string(),
  at: Timestamp,
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/**
 * What a person may write: newlines and tabs, but no other control character — the text is drawn in
 * terminals and pages, where an escape sequence in a teammate's message must not repaint the screen.
 */
export const ChatText = z
  .string()
  .max(LIMITS.chatTextMax, `a chat message is longer than ${LIMITS.chatTextMax} characters`)
  .regex(/\S/, 'a chat message must not be empty')
  .regex(/^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$/, 'a chat message may hold no control characters but newline and tab')
  .describe(`@since 1.5 1 to ${LIMITS.chatTextMax} characters, not all whitespace; no control characters but newline and tab`);

export const ChatPostParams = ProjectSelector.extend({
  text: ChatText,
  clientId: ClientId.optional(),
});
export const ChatPostResult = z.object({
  message: ChatMessage,
  duplicate: z.boolean().describe('@since 1.5 True when clientId repeated an earlier post: message is that post, nothing new was stored'),
});

export const ChatListParams = ProjectSelector.extend({
  limit: z.number().int().min(1).max(LIMITS.chatListMax).optional().describe(`@since 1.5 At most this many, the newest; default 100, at most ${LIMITS.chatListMax}`),
  before: z.number().int().positive().optional().describe('@since 1.5 Only messages with a smaller id: the page before one already shown'),
});
export const ChatListResult = z.object({
  messages: z.array(ChatMessage).describe('@since 1.5 Oldest first'),
});
