// The tasks table: rows to wire shapes and the statements that read and change tasks.
import { TASK_STATUSES, type TaskStatus } from '@vibe/protocol';
import type { Db } from './database.js';
import type { FullTask, StatusCounts } from './store-types.js';

interface TaskRow {
  project: string;
  project_id: number;
  number: number;
  title: string;
  description: string;
  agent: string | null;
  status: TaskStatus; // the CHECK constraint holds it to TASK_STATUSES
  created_at: string;
  updated_at: string;
  attempts: number;
  /** The newest attempt's summary as JSON text; null when the task was never started. */
  session: string | null;
}

/**
 * The newest attempt is the one numbered next_attempt - 1, found through the UNIQUE (task_id, attempt)
 * index: one indexed lookup per task, so listing a thousand tasks stays one quick statement (a test reads
 * its query plan, hence the export).
 */
export const TASK_SELECT = `SELECT p.name AS project, t.project_id, t.number, t.title, t.description, t.agent, t.status,
                       t.created_at, t.updated_at, t.next_attempt - 1 AS attempts,
                       CASE WHEN s.id IS NULL THEN NULL ELSE json_object(
                         'id', s.id, 'attempt', s.attempt, 'agent', s.agent, 'state', s.state,
                         'exitCode', s.exit_code, 'lastActivityAt', s.last_activity_at) END AS session
                FROM tasks t
                JOIN projects p ON p.id = t.project_id
                LEFT JOIN sessions s ON s.task_id = t.id AND s.attempt = t.next_attempt - 1`;

function toTask(row: TaskRow): FullTask {
  return {
    project: row.project,
    projectId: row.project_id,
    number: row.number,
    title: row.title,
    description: row.description,
    agent: row.agent,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attempts: row.attempts,
    session: row.session === null ? null : (JSON.parse(row.session) as FullTask['session']),
  };
}

export function zeroCounts(): StatusCounts {
  return Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

export interface TaskFilter {
  projectId?: number;
  statuses?: readonly TaskStatus[];
}

export class TaskTable {
  private readonly one;
  private readonly many;
  private readonly insertRow;
  private readonly updateFields;
  private readonly updateStatus;
  private readonly deleteRow;
  private readonly counts;
  private readonly takeAttemptRow;

  constructor(db: Db) {
    this.one = db.prepare<[number, number], TaskRow>(`${TASK_SELECT} WHERE t.project_id = ? AND t.number = ?`);
    // One statement for every filter (the status list travels as JSON), so it is prepared once.
    this.many = db.prepare<{ projectId: number | null; statuses: string | null }, TaskRow>(
      `${TASK_SELECT}
       WHERE (:projectId IS NULL OR t.project_id = :projectId)
         AND (:statuses IS NULL OR t.status IN (SELECT value FROM json_each(:statuses)))
       ORDER BY p.name, t.number`,
    );
    this.insertRow = db.prepare<[number, number, string, string, string | null, string, string]>(
      `INSERT INTO tasks (project_id, number, title, description, agent, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'todo', ?, ?)`,
    );
    this.updateFields = db.prepare<[string, string, string | null, string, number, number]>(
      'UPDATE tasks SET title = ?, description = ?, agent = ?, updated_at = ? WHERE project_id = ? AND number = ?',
    );
    this.updateStatus = db.prepare<[TaskStatus, string, number, number]>(
      'UPDATE tasks SET status = ?, updated_at = ? WHERE project_id = ? AND number = ?',
    );
    this.deleteRow = db.prepare<[number, number]>('DELETE FROM tasks WHERE project_id = ? AND number = ?');
    this.counts = db.prepare<[], { project_id: number; status: TaskStatus; n: number }>(
      'SELECT project_id, status, count(*) AS n FROM tasks GROUP BY project_id, status',
    );
    // Hands out the task's next attempt number and advances the counter in one statement, as for task numbers.
    this.takeAttemptRow = db.prepare<[number, number], { taskId: number; attempt: number }>(
      `UPDATE tasks SET next_attempt = next_attempt + 1 WHERE project_id = ? AND number = ?
       RETURNING id AS taskId, next_attempt - 1 AS attempt`,
    );
  }

  get(projectId: number, number: number): FullTask | undefined {
    const row = this.one.get(projectId, number);
    return row && toTask(row);
  }

  list(filter: TaskFilter = {}): FullTask[] {
    const statuses = filter.statuses === undefined ? null : JSON.stringify(filter.statuses);
    return this.many.all({ projectId: filter.projectId ?? null, statuses }).map(toTask);
  }

  insert(task: FullTask): void {
    this.insertRow.run(task.projectId, task.number, task.title, task.description, task.agent, task.createdAt, task.updatedAt);
  }

  /** Writes title, description, agent and updatedAt of `task` over its row. */
  writeFields(task: FullTask): void {
    this.updateFields.run(task.title, task.description, task.agent, task.updatedAt, task.projectId, task.number);
  }

  writeStatus(task: FullTask): void {
    this.updateStatus.run(task.status, task.updatedAt, task.projectId, task.number);
  }

  delete(projectId: number, number: number): void {
    this.deleteRow.run(projectId, number);
  }

  /** Takes the task's next attempt number; call inside the transaction that inserts its session. */
  takeAttempt(projectId: number, number: number): { taskId: number; attempt: number } | undefined {
    return this.takeAttemptRow.get(projectId, number);
  }

  /** Task counts per project and status; statuses with no tasks are absent (the caller fills zeros). */
  countRows(): { projectId: number; status: TaskStatus; n: number }[] {
    return this.counts.all().map((row) => ({ projectId: row.project_id, status: row.status, n: row.n }));
  }
}
