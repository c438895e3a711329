// The chat_messages table: each project's conversation, stored once per client id, read back newest page first.
import type { ChatMessage, ChatSender } from '@vibe/protocol';
import type { Db } from './database.js';

export interface PostChatInput {
  projectId: number;
  /** Who wrote it, as the connection it came over says — never as the client claims. */
  from: ChatSender;
  text: string;
  /** The client's id for this post: a repeat in the same project is the same post. */
  clientId?: string;
}

export interface ChatListOptions {
  /** At most this many, the newest; default 100. */
  limit?: number;
  /** Only messages with a smaller id. */
  before?: number;
}

interface ChatRow {
  id: number;
  project: string;
  sender_label: string;
  sender_kind: ChatSender['kind']; // the CHECK constraint holds it to the three kinds
  text: string;
  created_at: string;
}

const SELECT = `SELECT c.id, p.name AS project, c.sender_label, c.sender_kind, c.text, c.created_at
                FROM chat_messages c JOIN projects p ON p.id = c.project_id`;

export const DEFAULT_CHAT_LIMIT = 100;
/** A project keeps its newest this many messages; a post past it drops the oldest. */
export const CHAT_KEEP = 10_000;

function toMessage(row: ChatRow): ChatMessage {
  return { id: row.id, project: row.project, from: { label: row.sender_label, kind: row.sender_kind }, text: row.text, at: row.created_at };
}

export class ChatTable {
  private readonly insert;
  private readonly byId;
  private readonly byClientId;
  private readonly page;
  private readonly trim;

  constructor(db: Db, private readonly keep = CHAT_KEEP) {
    this.insert = db.prepare<[number, string, string, string, string | null, string]>(
      'INSERT INTO chat_messages (project_id, sender_label, sender_kind, text, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.byId = db.prepare<[number], ChatRow>(`${SELECT} WHERE c.id = ?`);
    this.byClientId = db.prepare<[number, string], ChatRow>(`${SELECT} WHERE c.project_id = ? AND c.client_id = ?`);
    // Newest first to take the page, so the caller reverses it: one indexed range scan whatever the history's size.
    this.page = db.prepare<{ project: number; before: number | null; limit: number }, ChatRow>(
      `${SELECT} WHERE c.project_id = :project AND (:before IS NULL OR c.id < :before) ORDER BY c.id DESC LIMIT :limit`,
    );
    // Everything older than the project's `keep`-th newest message: one range on (project_id, id).
    this.trim = db.prepare<{ project: number; keep: number }>(
      `DELETE FROM chat_messages WHERE project_id = :project AND id <= (
         SELECT id FROM chat_messages WHERE project_id = :project ORDER BY id DESC LIMIT 1 OFFSET :keep)`,
    );
  }

  /**
   * Stores a message, or answers the one an earlier post with the same client id stored; `admit` runs before a
   * new one is stored and may refuse it by throwing. Inside a write transaction.
   */
  post(input: PostChatInput, at: string, admit: () => void = () => {}): { message: ChatMessage; duplicate: boolean } {
    if (input.clientId !== undefined) {
      const earlier = this.byClientId.get(input.projectId, input.clientId);
      if (earlier) return { message: toMessage(earlier), duplicate: true };
    }
    admit();
    const info = this.insert.run(input.projectId, input.from.label, input.from.kind, input.text, input.clientId ?? null, at);
    this.trim.run({ project: input.projectId, keep: this.keep });
    return { message: toMessage(this.byId.get(Number(info.lastInsertRowid))!), duplicate: false };
  }

  /** A page of a project's messages, oldest first. */
  list(projectId: number, options: ChatListOptions = {}): ChatMessage[] {
    const rows = this.page.all({ project: projectId, before: options.before ?? null, limit: options.limit ?? DEFAULT_CHAT_LIMIT });
    return rows.reverse().map(toMessage);
  }
}
