// The sessions table: one row per attempt at a task, its wire shape, and the host details kept off the wire.
import type { AgentState, Session } from '@vibe/protocol';
import type { Db } from './database.js';

export type SessionHostKind = Session['host'];

interface SessionRow {
  id: number;
  project_id: number;
  host_name: string;
  project: string;
  task_number: number;
  attempt: number;
  agent: string;
  state: AgentState; // the CHECK constraint holds it to AGENT_STATES
  exit_code: number | null;
  host: SessionHostKind;
  branch: string;
  worktree: string;
  pid: number | null;
  cols: number;
  rows: number;
  started_at: string;
  ended_at: string | null;
  last_activity_at: string;
}

// hook_token is deliberately not selected: nothing read through here can leak it.
const SELECT = `SELECT s.id, t.project_id, s.host_name, p.name AS project, t.number AS task_number, s.attempt, s.agent, s.state, s.exit_code,
                       s.host, s.branch, s.worktree, s.pid, s.cols, s.rows, s.started_at, s.ended_at,
                       s.last_activity_at
                FROM sessions s
                JOIN tasks t ON t.id = s.task_id
                JOIN projects p ON p.id = t.project_id`;

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    project: row.project,
    taskNumber: row.task_number,
    attempt: row.attempt,
    agent: row.agent,
    state: row.state,
    exitCode: row.exit_code,
    host: row.host,
    branch: row.branch,
    worktree: row.worktree,
    pid: row.pid,
    cols: row.cols,
    rows: row.rows,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    lastActivityAt: row.last_activity_at,
  };
}

/** What the daemon needs to reach a session's host and check its hooks; internal, never sent to clients. */
export interface SessionSecret {
  hookToken: string;
  hostName: string;
  host: SessionHostKind;
}

/** A session with what a write needs besides its wire shape. */
export interface StoredSession {
  session: Session;
  projectId: number;
  hostName: string;
}

/** What a caller gives to record a new session. */
export interface CreateSessionInput {
  agent: string;
  host: SessionHostKind;
  /** The host's name for the session (the tmux session name). */
  hostName: string;
  branch: string;
  worktree: string;
  cols: number;
  rows: number;
  /** The secret the session's hooks send back; stored, never put on the wire. */
  hookToken: string;
}

/** A session row as inserted: the caller's input plus what the store decides. */
export interface NewSessionRow extends CreateSessionInput {
  taskId: number;
  attempt: number;
  at: string;
}

/** Which sessions to list; a task number only means something within a project. */
export type SessionFilter = { live?: boolean } & (
  | { projectId?: number; taskNumber?: undefined }
  | { projectId: number; taskNumber: number }
);

export class SessionTable {
  private readonly one;
  private readonly many;
  private readonly newest;
  private readonly insertRow;
  private readonly updateRow;
  private readonly secret;
  private readonly live;

  constructor(db: Db) {
    this.one = db.prepare<[number], SessionRow>(`${SELECT} WHERE s.id = ?`);
    // One statement for every filter, prepared once, as for tasks.
    this.many = db.prepare<{ projectId: number | null; taskNumber: number | null; live: number }, SessionRow>(
      `${SELECT}
       WHERE (:projectId IS NULL OR t.project_id = :projectId)
         AND (:taskNumber IS NULL OR t.number = :taskNumber)
         AND (:live = 0 OR s.state <> 'exited')
       ORDER BY s.id`,
    );
    this.newest = db.prepare<[number, number], SessionRow>(
      `${SELECT} WHERE t.project_id = ? AND t.number = ? AND s.attempt = t.next_attempt - 1`,
    );
    this.insertRow = db.prepare<[number, number, string, string, string, string, string, number, number, string, string, string], { id: number }>(
      `INSERT INTO sessions (task_id, attempt, agent, state, host, host_name, branch, worktree, cols, rows, hook_token,
                             started_at, last_activity_at)
       VALUES (?, ?, ?, 'starting', ?, ?, ?, ?, ?, ?, ?, ?, ?)
       RETURNING id`,
    );
    this.updateRow = db.prepare<
      [AgentState, number | null, number | null, string | null, string, number, number, string, number]
    >(
      `UPDATE sessions SET state = ?, exit_code = ?, pid = ?, ended_at = ?, last_activity_at = ?, cols = ?, rows = ?,
                           host_name = ?
       WHERE id = ?`,
    );
    this.secret = db.prepare<[number], SessionSecret>('SELECT hook_token AS hookToken, host_name AS hostName, host FROM sessions WHERE id = ?');
    this.live = db.prepare<[number], { n: number }>(
      `SELECT count(*) AS n FROM sessions s JOIN tasks t ON t.id = s.task_id
       WHERE t.project_id = ? AND s.state <> 'exited'`,
    );
  }

  get(id: number): Session | undefined {
    const row = this.one.get(id);
    return row && toSession(row);
  }

  find(id: number): StoredSession | undefined {
    const row = this.one.get(id);
    return row && { session: toSession(row), projectId: row.project_id, hostName: row.host_name };
  }

  /** Oldest first (by id, which is start order). */
  list(filter: SessionFilter = {}): Session[] {
    return this.many
      .all({ projectId: filter.projectId ?? null, taskNumber: filter.taskNumber ?? null, live: filter.live ? 1 : 0 })
      .map(toSession);
  }

  /** The task's newest attempt; undefined when it was never started. */
  newestOf(projectId: number, number: number): Session | undefined {
    const row = this.newest.get(projectId, number);
    return row && toSession(row);
  }

  /** Inserts a session in state starting and returns its id. */
  insert(row: NewSessionRow): number {
    const inserted = this.insertRow.get(
      row.taskId,
      row.attempt,
      row.agent,
      row.host,
      row.hostName,
      row.branch,
      row.worktree,
      row.cols,
      row.rows,
      row.hookToken,
      row.at,
      row.at,
    );
    if (!inserted) throw new Error('INSERT … RETURNING gave no row');
    return inserted.id;
  }

  /** Writes every changeable field of `session` (and the host name) over its row. */
  write(session: Session, hostName: string): void {
    this.updateRow.run(
      session.state,
      session.exitCode,
      session.pid,
      session.endedAt,
      session.lastActivityAt,
      session.cols,
      session.rows,
      hostName,
      session.id,
    );
  }

  secretOf(id: number): SessionSecret | undefined {
    return this.secret.get(id);
  }

  /** Sessions of the project whose state is not exited. */
  countLive(projectId: number): number {
    return this.live.get(projectId)?.n ?? 0;
  }
}
