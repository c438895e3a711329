// The rules of a task's inbox: who may post to it, and reading it as the receipt. Each function runs inside
// the caller's transaction, so a message and its event (or a receipt and its event) land together or not at all.
import { ProtocolError, type InboxMessage } from '@vibe/protocol';
import type { EventScope } from './events.js';
import type { StoreTables } from './store-tables.js';
import type { EventOf } from './store-types.js';
import { assertWellFormed } from './verbatim.js';

export interface PostInboxInput {
  to: number;
  text: string;
  /** The sending task, of the same project; undefined when a person sends it. */
  fromTask?: number;
  /** Who sent it, for display; defaults to "task N" for a task. A person's label is the caller's to give. */
  fromLabel?: string;
}

export interface ReadInboxInput {
  /** Default true. */
  unreadOnly?: boolean;
  /** Default true: the unread messages returned are marked read, and the receipt is logged. */
  markRead?: boolean;
}

/** Stores a message for task `to` and logs inbox.posted. Both tasks must exist; a task does not write to itself. */
export function postInbox(tables: StoreTables, projectId: number, input: PostInboxInput): { message: InboxMessage; event: EventOf<'inbox.posted'> } {
  assertWellFormed('text', input.text);
  tables.requireTask(projectId, input.to);
  if (input.fromTask !== undefined) {
    if (input.fromTask === input.to) {
      throw new ProtocolError('invalid_params', `task ${input.to} cannot post to its own inbox; name the task the message is for`, {
        issues: [{ path: 'number', message: 'the sending task itself' }],
      });
    }
    const project = tables.projects.require(projectId);
    if (!tables.tasks.get(projectId, input.fromTask)) {
      throw new ProtocolError('not_found', `no task ${input.fromTask} in project "${project.name}" to send from`, { project: project.name, number: input.fromTask });
    }
  }
  const at = tables.stamp();
  const fromLabel = input.fromLabel ?? (input.fromTask === undefined ? 'local' : `task ${input.fromTask}`);
  const message = tables.inbox.insert({ projectId, to: input.to, fromTask: input.fromTask ?? null, fromLabel, text: input.text, at });
  const event = tables.events.append({ name: 'inbox.posted', data: { message } }, at, scope(projectId, input.to));
  return { message, event };
}

/** The task's messages, oldest first. With markRead the unread ones returned become read now, and inbox.read is logged. */
export function readInbox(tables: StoreTables, projectId: number, to: number, input: ReadInboxInput): { messages: InboxMessage[]; event?: EventOf<'inbox.read'> } {
  const task = tables.requireTask(projectId, to);
  const messages = tables.inbox.list(projectId, to, input.unreadOnly ?? true);
  if (input.markRead === false) return { messages };
  const at = tables.stamp();
  const ids = tables.inbox.markAllRead(
    messages.filter((m) => m.readAt === null).map((m) => m.id),
    at,
  );
  if (ids.length === 0) return { messages };
  const marked = new Set(ids);
  const event = tables.events.append({ name: 'inbox.read', data: { project: task.project, to, ids, at } }, at, scope(projectId, to));
  return { messages: messages.map((m) => (marked.has(m.id) ? { ...m, readAt: at } : m)), event };
}

function scope(projectId: number, to: number): EventScope {
  return { projectId, taskNumber: to };
}
