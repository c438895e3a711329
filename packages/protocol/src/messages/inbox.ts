// Task inboxes (@since 1.5): messages to a task's agent from another task's agent (through `vibe mcp`) or a
// person, kept by the daemon until read. Reading is the delivery receipt; nothing is ever typed into a terminal.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { Timestamp } from './common.js';
import { TaskRef } from './task.js';

export const InboxMessage = z
  .object({
    id: z.number().int().positive().describe('Daemon-wide, increasing, never reused'),
    project: z.string().describe('Project name'),
    to: z.number().int().positive().describe('The task whose inbox holds it'),
    from: z.object({
      task: z.number().int().positive().nullable().describe('The sending task, in the same project; null when a person sent it'),
      label: z.string().describe('Who sent it, for display: "task 2" for a task; for a person, the link\'s label or the user name of the daemon\'s machine'),
    }),
    text: z.string(),
    at: Timestamp.describe('When it was posted'),
    readAt: Timestamp.nullable().describe('When the receiving task read it (the delivery receipt); null while unread'),
  })
  .describe('@since 1.5');
export type InboxMessage = z.infer<typeof InboxMessage>;

export const InboxText = z
  .string()
  .min(1, 'text must not be empty')
  .max(LIMITS.inboxTextMax, `text is longer than ${LIMITS.inboxTextMax} characters`);

/** The task named by `number` receives it; `fromTask` is the sending task of the same project, if any. */
export const InboxPostParams = TaskRef.extend({
  text: InboxText,
  fromTask: z.number().int().positive().optional().describe('The sending task in the same project; leave out when a person sends it'),
}).describe('@since 1.5');
export const InboxPostResult = z.object({ message: InboxMessage });

export const InboxReadParams = TaskRef.extend({
  unreadOnly: z.boolean().optional().describe('Only messages not read yet; default true'),
  markRead: z.boolean().optional().describe('Mark the unread messages returned as read (the receipt); default true'),
}).describe('@since 1.5');
export const InboxReadResult = z.object({ messages: z.array(InboxMessage).describe('Oldest first, as they are after this read') });

/** The payload of `inbox.read`: which messages of one inbox were read, and when. */
export const InboxReceipt = z.object({
  project: z.string(),
  to: z.number().int().positive(),
  ids: z.array(z.number().int().positive()).min(1),
  at: Timestamp,
});
export type InboxReceipt = z.infer<typeof InboxReceipt>;
