// The inbox_messages table: messages to a task, and the marking read that is their delivery receipt.
import type { InboxMessage } from '@vibe/protocol';
import type { Db } from './database.js';

interface InboxRow {
  id: number;
  project: string;
  to_task: number;
  from_task: number | null;
  from_label: string;
  text: string;
  created_at: string;
  read_at: string | null;
}

export interface NewInboxMessage {
  projectId: number;
  to: number;
  fromTask: number | null;
  fromLabel: string;
  text: string;
  at: string;
}

const SELECT = `SELECT m.id, p.name AS project, m.to_task, m.from_task, m.from_label, m.text, m.created_at, m.read_at
                FROM inbox_messages m JOIN projects p ON p.id = m.project_id`;

function toMessage(row: InboxRow): InboxMessage {
  return {
    id: row.id,
    project: row.project,
    to: row.to_task,
    from: { task: row.from_task, label: row.from_label },
    text: row.text,
    at: row.created_at,
    readAt: row.read_at,
  };
}

export class InboxTable {
  private readonly insertRow;
  private readonly byId;
  private readonly ofTask;
  private readonly markRead;

  constructor(db: Db) {
    this.insertRow = db.prepare<[number, number, number | null, string, string, string]>(
      'INSERT INTO inbox_messages (project_id, to_task, from_task, from_label, text, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.byId = db.prepare<[number], InboxRow>(`${SELECT} WHERE m.id = ?`);
    // One statement for both reads: unread only, or the whole inbox, oldest first.
    this.ofTask = db.prepare<{ projectId: number; to: number; unreadOnly: number }, InboxRow>(
      `${SELECT} WHERE m.project_id = :projectId AND m.to_task = :to AND (:unreadOnly = 0 OR m.read_at IS NULL) ORDER BY m.id`,
    );
    this.markRead = db.prepare<[string, number]>('UPDATE inbox_messages SET read_at = ? WHERE id = ? AND read_at IS NULL');
  }

  /** Inside a write transaction that has checked both tasks exist. */
  insert(input: NewInboxMessage): InboxMessage {
    const info = this.insertRow.run(input.projectId, input.to, input.fromTask, input.fromLabel, input.text, input.at);
    return toMessage(this.byId.get(Number(info.lastInsertRowid))!);
  }

  list(projectId: number, to: number, unreadOnly: boolean): InboxMessage[] {
    return this.ofTask.all({ projectId, to, unreadOnly: unreadOnly ? 1 : 0 }).map(toMessage);
  }

  /** Marks each message read at `at` unless it already was; returns the ids it marked. Inside a write transaction. */
  markAllRead(ids: readonly number[], at: string): number[] {
    return ids.filter((id) => this.markRead.run(at, id).changes === 1);
  }
}
