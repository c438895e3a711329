// The Store's tables and the helpers its writes share inside one transaction: find a task or session or say
// `not_found`, move a task along a checked transition and log it, log a session change, stamp the time.
import { ProtocolError, type Session, type TaskStatus } from '@vibe/protocol';
import { ApprovalTable } from './approvals.js';
import { ChatTable } from './chat.js';
import type { Db } from './database.js';
import { EventLog } from './events.js';
import { InboxTable } from './inbox.js';
import { LinkTable } from './links.js';
import { ProjectTable } from './projects.js';
import type { RecordContext } from './review-records.js';
import { SessionTable, type StoredSession } from './sessions.js';
import type { EventOf, FullTask } from './store-types.js';
import { TaskClientIds } from './task-client-ids.js';
import { TaskTable } from './tasks.js';

export class StoreTables {
  readonly projects: ProjectTable;
  readonly tasks: TaskTable;
  readonly sessions: SessionTable;
  readonly events: EventLog;
  readonly links: LinkTable;
  readonly chat: ChatTable;
  readonly taskClientIds: TaskClientIds;
  readonly inbox: InboxTable;
  readonly approvals: ApprovalTable;

  constructor(
    db: Db,
    private readonly now: () => Date,
  ) {
    this.projects = new ProjectTable(db);
    this.tasks = new TaskTable(db);
    this.sessions = new SessionTable(db);
    this.events = new EventLog(db);
    this.links = new LinkTable(db);
    this.chat = new ChatTable(db);
    this.taskClientIds = new TaskClientIds(db);
    this.inbox = new InboxTable(db);
    this.approvals = new ApprovalTable(db);
  }

  stamp(): string {
    return this.now().toISOString();
  }

  requireTask(projectId: number, number: number): FullTask {
    const task = this.tasks.get(projectId, number);
    if (task) return task;
    const project = this.projects.require(projectId);
    throw new ProtocolError('not_found', `no task ${number} in project "${project.name}"`, { project: project.name, number });
  }

  requireSession(id: number): StoredSession {
    const stored = this.sessions.find(id);
    if (!stored) throw new ProtocolError('not_found', `no session ${id}`, { session: id });
    return stored;
  }

  /** Writes a status change the caller has checked is legal and logs task.moved; inside a write transaction. */
  moveWithin(current: FullTask, status: TaskStatus, at: string): { task: FullTask; event: EventOf<'task.moved'> } {
    const task: FullTask = { ...current, status, updatedAt: at };
    this.tasks.writeStatus(task);
    const scope = { projectId: task.projectId, taskNumber: task.number };
    const event = this.events.append({ name: 'task.moved', data: { task, from: current.status } }, at, scope);
    return { task, event };
  }

  appendSessionUpdated(session: Session, projectId: number, at: string): EventOf<'session.updated'> {
    return this.events.append({ name: 'session.updated', data: { session } }, at, { projectId, taskNumber: session.taskNumber });
  }

  /** What review-records.ts writes with. */
  recordContext(): RecordContext {
    const { events } = this;
    return { requireTask: this.requireTask.bind(this), moveWithin: this.moveWithin.bind(this), append: events.append.bind(events), stamp: this.stamp.bind(this) };
  }
}
