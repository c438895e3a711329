// The Store: every read and write of vibe's state, each write one transaction that also appends its event.
import {
  ProtocolError,
  TASK_TRANSITIONS,
  type EventName,
  type Project,
  type ProjectSelector,
  type Task,
  type TaskStatus,
  type VibeEvent,
} from '@vibe/protocol';
import { DEFAULT_BUSY_TIMEOUT_MS, openDatabase, type Db } from './database.js';
import { mapBusy } from './errors.js';
import { EventLog, type EventsSinceOptions } from './events.js';
import { migrate, syncTransitions } from './migrations.js';
import { ProjectTable, type RegisterProjectInput } from './projects.js';
import { resolveProject } from './resolve-project.js';
import { TaskTable, zeroCounts, type StatusCounts, type TaskFilter } from './tasks.js';
import { assertWellFormed } from './verbatim.js';

export interface StoreOptions {
  /** The database file; its directory must already exist. */
  path: string;
  /** How long a write waits for another process's lock before failing with `busy`. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** The clock for timestamps; tests inject one. */
  now?: () => Date;
}

/** The logged event of one name, with its seq and timestamp. */
export type EventOf<N extends EventName> = Extract<VibeEvent, { name: N }>;

export interface CreateTaskInput {
  title: string;
  description?: string;
  agent?: string;
}

export interface UpdateTaskInput {
  title?: string;
  description?: string;
  /** null resets to the default agent; undefined leaves it alone. */
  agent?: string | null;
}

export interface TaskCountsResult {
  total: StatusCounts;
  /** Every registered project, by id, with every status (zeros included). */
  byProject: Map<number, StatusCounts>;
}

type Changed = EventOf<'task.updated'>['data']['changed'];

export class Store {
  private readonly projects: ProjectTable;
  private readonly tasks: TaskTable;
  private readonly events: EventLog;

  private constructor(
    private readonly db: Db,
    /** The database file this store has open. */
    readonly path: string,
    private readonly now: () => Date,
  ) {
    this.projects = new ProjectTable(db);
    this.tasks = new TaskTable(db);
    this.events = new EventLog(db);
  }

  /** Opens (creating and migrating as needed) the database at `options.path`. */
  static open(options: StoreOptions): Store {
    const db = openDatabase(options.path, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    try {
      mapBusy(options.path, () => {
        migrate(db, options.path);
        syncTransitions(db);
      });
      return new Store(db, options.path, options.now ?? (() => new Date()));
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Idempotent by path: a registered path returns its project unchanged, with no event. */
  registerProject(input: RegisterProjectInput): { project: Project; created: boolean; event?: EventOf<'project.registered'> } {
    for (const [field, text] of [['path', input.path], ['baseBranch', input.baseBranch], ['name', input.name ?? '']] as const) {
      assertWellFormed(field, text);
    }
    // A read first, so re-registering works even while another process holds the write lock.
    const known = this.read(() => this.projects.getByPath(input.path));
    if (known) return { project: known, created: false };
    return this.write(() => {
      const existing = this.projects.getByPath(input.path);
      if (existing) return { project: existing, created: false };
      const project = this.projects.insertNew(input, this.stamp());
      const event = this.events.append({ name: 'project.registered', data: { project } }, project.createdAt, {
        projectId: project.id,
      });
      return { project, created: true, event };
    });
  }

  /** All projects, by name. */
  listProjects(): Project[] {
    return this.read(() => this.projects.list());
  }

  getProject(id: number): Project | undefined {
    return this.read(() => this.projects.get(id));
  }

  getProjectByName(name: string): Project | undefined {
    return this.read(() => this.projects.getByName(name));
  }

  getProjectByPath(path: string): Project | undefined {
    return this.read(() => this.projects.getByPath(path));
  }

  /** By name; else the project containing `cwd` (the deepest); else the only one; else `project_required`. */
  resolveProject(selector: ProjectSelector): Project {
    return resolveProject(this.listProjects(), selector);
  }

  createTask(projectId: number, input: CreateTaskInput): { task: Task; event: EventOf<'task.created'> } {
    assertWellFormed('title', input.title);
    assertWellFormed('description', input.description ?? '');
    assertWellFormed('agent', input.agent ?? '');
    return this.write(() => {
      const { number, projectName } = this.projects.takeTaskNumber(projectId);
      const at = this.stamp();
      const task: Task = {
        project: projectName,
        projectId,
        number,
        title: input.title,
        description: input.description ?? '',
        agent: input.agent ?? null,
        status: 'todo',
        createdAt: at,
        updatedAt: at,
      };
      this.tasks.insert(task);
      const event = this.events.append({ name: 'task.created', data: { task } }, at, { projectId, taskNumber: number });
      return { task, event };
    });
  }

  /** Tasks ordered by project name, then number. */
  listTasks(filter: TaskFilter = {}): Task[] {
    return this.read(() => this.tasks.list(filter));
  }

  getTask(projectId: number, number: number): Task {
    return this.read(() => this.requireTask(projectId, number));
  }

  /** Changes only the fields given; with nothing actually different it writes nothing and logs nothing. */
  updateTask(projectId: number, number: number, patch: UpdateTaskInput): { task: Task; event?: EventOf<'task.updated'> } {
    if (patch.title !== undefined) assertWellFormed('title', patch.title);
    if (patch.description !== undefined) assertWellFormed('description', patch.description);
    if (typeof patch.agent === 'string') assertWellFormed('agent', patch.agent);
    return this.write(() => {
      const current = this.requireTask(projectId, number);
      const changed: Changed = [];
      if (patch.title !== undefined && patch.title !== current.title) changed.push('title');
      if (patch.description !== undefined && patch.description !== current.description) changed.push('description');
      if (patch.agent !== undefined && patch.agent !== current.agent) changed.push('agent');
      if (changed.length === 0) return { task: current };
      const at = this.stamp();
      const task: Task = {
        ...current,
        title: patch.title ?? current.title,
        description: patch.description ?? current.description,
        agent: patch.agent === undefined ? current.agent : patch.agent,
        updatedAt: at,
      };
      this.tasks.writeFields(task);
      const event = this.events.append({ name: 'task.updated', data: { task, changed } }, at, { projectId, taskNumber: number });
      return { task, event };
    });
  }

  /** Moves a task along a legal transition; anything else is `illegal_transition` with the legal targets. */
  moveTask(projectId: number, number: number, status: TaskStatus): { task: Task; from: TaskStatus; event: EventOf<'task.moved'> } {
    return this.write(() => {
      const current = this.requireTask(projectId, number);
      const from = current.status;
      const allowed = TASK_TRANSITIONS[from];
      const data = { from, to: status, allowed: [...allowed] };
      if (from === status) throw new ProtocolError('illegal_transition', `task ${number} is already ${from}`, data);
      if (!allowed.includes(status)) {
        const legal = allowed.length > 0 ? allowed.join(', ') : 'none';
        throw new ProtocolError('illegal_transition', `task ${number} cannot move from ${from} to ${status} (from ${from}: ${legal})`, data);
      }
      const at = this.stamp();
      const task: Task = { ...current, status, updatedAt: at };
      this.tasks.writeStatus(task);
      const event = this.events.append({ name: 'task.moved', data: { task, from } }, at, { projectId, taskNumber: number });
      return { task, from, event };
    });
  }

  /** Deletes the task row; the full task stays in the event log, and its number is never handed out again. */
  removeTask(projectId: number, number: number): { task: Task; event: EventOf<'task.removed'> } {
    return this.write(() => {
      const task = this.requireTask(projectId, number);
      this.tasks.delete(projectId, number);
      const event = this.events.append({ name: 'task.removed', data: { task } }, this.stamp(), { projectId, taskNumber: number });
      return { task, event };
    });
  }

  taskCounts(): TaskCountsResult {
    return this.read(() => {
      const total = zeroCounts();
      const byProject = new Map<number, StatusCounts>(this.projects.list().map((p) => [p.id, zeroCounts()]));
      for (const row of this.tasks.countRows()) {
        total[row.status] += row.n;
        const counts = byProject.get(row.projectId);
        if (counts) counts[row.status] += row.n;
      }
      return { total, byProject };
    });
  }

  /** Logged events with seq greater than `seq`, oldest first. */
  eventsSince(seq: number, options: EventsSinceOptions = {}): VibeEvent[] {
    return this.read(() => this.events.eventsSince(seq, options));
  }

  /** The newest event's seq; 0 when the log is empty. */
  lastEventSeq(): number {
    return this.read(() => this.events.lastSeq());
  }

  /** SQLite's PRAGMA integrity_check: "ok", or the problems found, one a line. */
  integrityCheck(): string {
    return this.read(() => (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n'));
  }

  /** Closes the database; further calls throw. Safe to call twice. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private requireTask(projectId: number, number: number): Task {
    const task = this.tasks.get(projectId, number);
    if (task) return task;
    const project = this.projects.require(projectId);
    throw new ProtocolError('not_found', `no task ${number} in project "${project.name}"`, { project: project.name, number });
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private read<T>(fn: () => T): T {
    return mapBusy(this.path, fn);
  }

  /** One immediate transaction: the write lock is taken up front, so busy_timeout governs the only wait. */
  private write<T>(fn: () => T): T {
    return mapBusy(this.path, () => this.db.transaction(fn).immediate());
  }
}

