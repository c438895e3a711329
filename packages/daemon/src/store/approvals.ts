// The approvals table: what agents asked permission for, how it was answered, and the hook behind a pending one.
import { ProtocolError, type Approval, type ApprovalState, type ApprovalVia } from '@vibe/protocol';
import type { Db } from './database.js';

interface ApprovalRow {
  id: number;
  project_id: number;
  project: string;
  task_number: number;
  attempt: number;
  session_id: number;
  agent: string;
  tool: string;
  detail: string;
  options: string;
  via: ApprovalVia;
  state: ApprovalState;
  requested_at: string;
  answered_at: string | null;
  answered_by: string | null;
  reason: string | null;
  hook_pid: number | null;
}

/** What a caller gives to record an approval: its session, what is asked, and (from a hook) who holds it. */
export interface NewApproval {
  sessionId: number;
  tool: string;
  detail: string;
  options: string[];
  via: ApprovalVia;
  /** The hook's own id for its request: asked again with it, the same approval is returned. */
  requestKey?: string;
  hookPid?: number;
}

/** How an approval was settled. `cancelled` when neither vibe's allow nor deny decided it. */
export interface ApprovalAnswer {
  state: Exclude<ApprovalState, 'pending'>;
  answeredBy: string | null;
  reason: string | null;
}

export interface ApprovalFilter {
  projectId?: number;
  sessionId?: number;
  pending?: boolean;
}

/** A stored approval with what the daemon needs besides its wire shape. */
export interface StoredApproval {
  approval: Approval;
  projectId: number;
  hookPid: number | null;
}

const SELECT = `SELECT a.id, t.project_id, p.name AS project, t.number AS task_number, s.attempt, a.session_id, s.agent, a.tool, a.detail,
                       a.options, a.via, a.state, a.requested_at, a.answered_at, a.answered_by, a.reason, a.hook_pid
                FROM approvals a
                JOIN sessions s ON s.id = a.session_id
                JOIN tasks t ON t.id = s.task_id
                JOIN projects p ON p.id = t.project_id`;

function toStored(row: ApprovalRow): StoredApproval {
  const approval: Approval = {
    id: String(row.id),
    project: row.project,
    taskNumber: row.task_number,
    attempt: row.attempt,
    session: row.session_id,
    agent: row.agent,
    tool: row.tool,
    detail: row.detail,
    options: JSON.parse(row.options) as string[],
    via: row.via,
    state: row.state,
    requestedAt: row.requested_at,
    answeredAt: row.answered_at,
    answeredBy: row.answered_by,
    reason: row.reason,
  };
  return { approval, projectId: row.project_id, hookPid: row.hook_pid };
}

export class ApprovalTable {
  private readonly insertRow;
  private readonly byId;
  private readonly byKey;
  private readonly listed;
  private readonly settle;

  constructor(db: Db) {
    this.insertRow = db.prepare<[number, string | null, number | null, string, string, string, string, string]>(
      'INSERT INTO approvals (session_id, request_key, hook_pid, tool, detail, options, via, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.byId = db.prepare<[number], ApprovalRow>(`${SELECT} WHERE a.id = ?`);
    this.byKey = db.prepare<[string], ApprovalRow>(`${SELECT} WHERE a.request_key = ?`);
    // One statement for every filter, newest first.
    this.listed = db.prepare<{ projectId: number | null; sessionId: number | null; pending: number }, ApprovalRow>(
      `${SELECT} WHERE (:projectId IS NULL OR t.project_id = :projectId) AND (:sessionId IS NULL OR a.session_id = :sessionId)
                   AND (:pending = 0 OR a.state = 'pending') ORDER BY a.id DESC`,
    );
    this.settle = db.prepare<[string, string, string | null, string | null, number]>(
      "UPDATE approvals SET state = ?, answered_at = ?, answered_by = ?, reason = ? WHERE id = ? AND state = 'pending'",
    );
  }

  get(id: number): StoredApproval | undefined {
    const row = this.byId.get(id);
    return row ? toStored(row) : undefined;
  }

  byRequestKey(key: string): StoredApproval | undefined {
    const row = this.byKey.get(key);
    return row ? toStored(row) : undefined;
  }

  list(filter: ApprovalFilter): StoredApproval[] {
    return this.listed.all({ projectId: filter.projectId ?? null, sessionId: filter.sessionId ?? null, pending: filter.pending ? 1 : 0 }).map(toStored);
  }

  /** Inside a write transaction that has checked the session exists. */
  insert(input: NewApproval, at: string): StoredApproval {
    const info = this.insertRow.run(input.sessionId, input.requestKey ?? null, input.hookPid ?? null, input.tool, input.detail, JSON.stringify(input.options), input.via, at);
    return this.get(Number(info.lastInsertRowid))!;
  }

  /** `not_found` for an unknown id, `conflict` for one already settled (the first answer wins); inside a write transaction. */
  answerAt(id: number, answer: ApprovalAnswer, at: string): StoredApproval {
    const current = this.get(id);
    if (!current) throw new ProtocolError('not_found', `no approval ${id}; \`vibe approvals --all\` lists them`, { id: String(id) });
    const { approval } = current;
    if (approval.state !== 'pending') {
      const by = approval.answeredBy === null ? '' : ` by ${approval.answeredBy}`;
      throw new ProtocolError('conflict', `approval ${id} was already ${approval.state}${by} at ${approval.answeredAt}`, { id: approval.id, state: approval.state });
    }
    this.settle.run(answer.state, at, answer.answeredBy, answer.reason, id);
    return this.get(id)!;
  }
}
