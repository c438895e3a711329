// The task_client_ids table: which task a client's task.create made, so the same request sent again (a
// browser's offline queue retrying after a reconnect it could not tell from a lost answer) makes nothing new.
import type { Db } from './database.js';

export class TaskClientIds {
  private readonly find;
  private readonly insert;

  constructor(db: Db) {
    this.find = db.prepare<[number, string], { task_number: number }>('SELECT task_number FROM task_client_ids WHERE project_id = ? AND client_id = ?');
    this.insert = db.prepare<[number, string, number]>('INSERT INTO task_client_ids (project_id, client_id, task_number) VALUES (?, ?, ?)');
  }

  /** The number of the task an earlier create with this id made, even if that task was removed since. */
  taskNumber(projectId: number, clientId: string): number | undefined {
    return this.find.get(projectId, clientId)?.task_number;
  }

  /** Inside the transaction that created the task. */
  remember(projectId: number, clientId: string, taskNumber: number): void {
    this.insert.run(projectId, clientId, taskNumber);
  }
}
