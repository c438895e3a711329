// The Store: every read and write of vibe's state, each write one transaction that also appends its event.
import {
  ProtocolError,
  TASK_TRANSITIONS,
  type ProjectSelector,
  type Session,
  type TaskStatus,
  type VibeEvent,
} from '@vibe/protocol';
import { DEFAULT_BUSY_TIMEOUT_MS, openDatabase, type Db } from './database.js';
import { mapBusy } from './errors.js';
import { EventLog, type EventsSinceOptions } from './events.js';
import { LinkTable, type CreateLinkInput, type LinkRecord, type RelaySettingsRecord } from './links.js';
import { migrate, syncTransitions } from './migrations.js';
import { ProjectTable, type RegisterProjectInput } from './projects.js';
import { resolveProject } from './resolve-project.js';
import { applySettings, type UpdateProjectInput } from './project-settings.js';
import { applyPatch, assertTerminalSize, endsTurn, startMove, type SessionPatch } from './session-rules.js';
import { SessionTable, type SessionFilter, type SessionSecret, type StoredSession } from './sessions.js';
import type {
  CreateSessionInput,
  CreateTaskInput,
  EventOf,
  FullProject,
  FullTask,
  SessionEvent,
  StoreOptions,
  TaskCountsResult,
  UpdateTaskInput,
} from './store-types.js';
import { TaskTable, zeroCounts, type StatusCounts, type TaskFilter } from './tasks.js';
import { recordMerge, recordReview, type MergeInput, type RecordContext, type ReviewInput } from './review-records.js';
import { assertWellFormed } from './verbatim.js';

type Changed = EventOf<'task.updated'>['data']['changed'];

export class Store {
  private readonly projects: ProjectTable;
  private readonly tasks: TaskTable;
  private readonly sessions: SessionTable;
  private readonly events: EventLog;
  private readonly links: LinkTable;

  private constructor(
    private readonly db: Db,
    /** The database file this store has open. */
    readonly path: string,
    private readonly now: () => Date,
  ) {
    this.projects = new ProjectTable(db);
    this.tasks = new TaskTable(db);
    this.sessions = new SessionTable(db);
    this.events = new EventLog(db);
    this.links = new LinkTable(db);
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
  registerProject(input: RegisterProjectInput): { project: FullProject; created: boolean; event?: EventOf<'project.registered'> } {
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
  listProjects(): FullProject[] {
    return this.read(() => this.projects.list());
  }

  getProject(id: number): FullProject | undefined {
    return this.read(() => this.projects.get(id));
  }

  getProjectByName(name: string): FullProject | undefined {
    return this.read(() => this.projects.getByName(name));
  }

  /** By name; else the project containing `cwd` (the deepest); else the only one; else `project_required`. */
  resolveProject(selector: ProjectSelector): FullProject {
    return resolveProject(this.listProjects(), selector);
  }

  /** Changes the base branch and settings given; with nothing actually different it writes and logs nothing. */
  updateProject(projectId: number, patch: UpdateProjectInput): { project: FullProject; event?: EventOf<'project.updated'> } {
    for (const field of ['baseBranch', 'setup', 'instructions'] as const) {
      const text = patch[field];
      if (typeof text === 'string') assertWellFormed(field, text);
    }
    return this.write(() => {
      const current = this.projects.require(projectId);
      const project = applySettings(current, patch);
      if (!project) return { project: current };
      this.projects.writeSettings(project);
      const event = this.events.append({ name: 'project.updated', data: { project } }, this.stamp(), { projectId });
      return { project, event };
    });
  }

  createTask(projectId: number, input: CreateTaskInput): { task: FullTask; event: EventOf<'task.created'> } {
    assertWellFormed('title', input.title);
    assertWellFormed('description', input.description ?? '');
    assertWellFormed('agent', input.agent ?? '');
    return this.write(() => {
      const { number, projectName } = this.projects.takeTaskNumber(projectId);
      const at = this.stamp();
      const task: FullTask = {
        project: projectName,
        projectId,
        number,
        title: input.title,
        description: input.description ?? '',
        agent: input.agent ?? null,
        status: 'todo',
        createdAt: at,
        updatedAt: at,
        attempts: 0,
        session: null,
      };
      this.tasks.insert(task);
      const event = this.events.append({ name: 'task.created', data: { task } }, at, { projectId, taskNumber: number });
      return { task, event };
    });
  }

  /** Tasks ordered by project name, then number. */
  listTasks(filter: TaskFilter = {}): FullTask[] {
    return this.read(() => this.tasks.list(filter));
  }

  getTask(projectId: number, number: number): FullTask {
    return this.read(() => this.requireTask(projectId, number));
  }

  /** Changes only the fields given; with nothing actually different it writes nothing and logs nothing. */
  updateTask(projectId: number, number: number, patch: UpdateTaskInput): { task: FullTask; event?: EventOf<'task.updated'> } {
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
      const task: FullTask = {
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
  moveTask(projectId: number, number: number, status: TaskStatus): { task: FullTask; from: TaskStatus; event: EventOf<'task.moved'> } {
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
      const { task, event } = this.moveWithin(current, status, this.stamp());
      return { task, from, event };
    });
  }

  /**
   * Deletes the task row and, by cascade, its sessions (callers remove worktrees first); the full task stays
   * in the event log, and its number is never handed out again.
   */
  removeTask(projectId: number, number: number): { task: FullTask; event: EventOf<'task.removed'> } {
    return this.write(() => {
      const task = this.requireTask(projectId, number);
      this.tasks.delete(projectId, number);
      const event = this.events.append({ name: 'task.removed', data: { task } }, this.stamp(), { projectId, taskNumber: number });
      return { task, event };
    });
  }

  /**
   * Records a new attempt at a task, in state starting, numbered after every earlier attempt. Moves the task
   * to in_progress from todo or in_review; refuses a done or cancelled task, and a project already running
   * its maxSessions, with nothing written. Events: session.updated, then task.moved if it moved.
   */
  createSession(projectId: number, taskNumber: number, input: CreateSessionInput): { session: Session; task: FullTask; events: SessionEvent[] } {
    for (const field of ['agent', 'hostName', 'branch', 'worktree', 'hookToken'] as const) assertWellFormed(field, input[field]);
    assertTerminalSize(input.cols, input.rows);
    if (input.hookToken === '') throw new ProtocolError('invalid_params', 'hookToken must not be empty', { field: 'hookToken' });
    return this.write(() => {
      const to = startMove(this.requireTask(projectId, taskNumber));
      const project = this.projects.require(projectId);
      const live = this.sessions.countLive(projectId);
      const max = project.settings.maxSessions;
      if (live >= max) {
        throw new ProtocolError(
          'conflict',
          `project "${project.name}" already runs ${live} sessions (its limit is ${max}); stop one, or raise the limit with vibe project set --max-sessions`,
          { project: project.name, live, maxSessions: max },
        );
      }
      const taken = this.tasks.takeAttempt(projectId, taskNumber);
      if (!taken) throw new Error(`task ${taskNumber} vanished inside its own transaction`);
      const at = this.stamp();
      const id = this.sessions.insert({ ...input, ...taken, at });
      const session = this.requireSession(id).session;
      const events: SessionEvent[] = [this.appendSessionUpdated(session, projectId, at)];
      let task = this.requireTask(projectId, taskNumber);
      if (to) {
        const moved = this.moveWithin(task, to, at);
        task = moved.task;
        events.push(moved.event);
      }
      return { session, task, events };
    });
  }

  /**
   * Changes the fields given. Logs session.updated only when something a client sees changed (state, exit
   * code, pid, end time, size): a lastActivityAt-only update is written silently, as it comes often. When an
   * agent's turn ends (working or waiting to idle or exited) its task moves from in_progress to in_review.
   */
  updateSession(sessionId: number, patch: SessionPatch): { session: Session; events: SessionEvent[] } {
    for (const field of ['hostName', 'endedAt', 'lastActivityAt'] as const) {
      const text = patch[field];
      if (text !== undefined) assertWellFormed(field, text);
    }
    return this.write(() => {
      const stored = this.requireSession(sessionId);
      const current = stored.session;
      const at = this.stamp();
      const outcome = applyPatch(current, stored.hostName, patch, at);
      const { session } = outcome;
      if (!outcome.changed) return { session, events: [] };
      this.sessions.write(session, outcome.hostName);
      if (!outcome.visible) return { session, events: [] };
      const events: SessionEvent[] = [this.appendSessionUpdated(session, stored.projectId, at)];
      if (endsTurn(current.state, session.state)) {
        const task = this.requireTask(stored.projectId, session.taskNumber);
        if (task.status === 'in_progress') events.push(this.moveWithin(task, 'in_review', at).event);
      }
      return { session, events };
    });
  }

  getSession(id: number): Session | undefined {
    return this.read(() => this.sessions.get(id));
  }

  /** Sessions oldest first; `live` keeps those not exited. */
  listSessions(filter: SessionFilter = {}): Session[] {
    return this.read(() => this.sessions.list(filter));
  }

  /** The task's newest attempt; undefined when it was never started; `not_found` when there is no such task. */
  latestSession(projectId: number, number: number): Session | undefined {
    return this.read(() => {
      this.requireTask(projectId, number);
      return this.sessions.newestOf(projectId, number);
    });
  }

  /** The hook token and host name of a session, for the daemon's own use: never send these to a client. */
  sessionSecret(id: number): SessionSecret | undefined {
    return this.read(() => this.sessions.secretOf(id));
  }

  /** Sessions of the project that have not exited (what maxSessions limits). */
  countLiveSessions(projectId: number): number {
    return this.read(() => this.sessions.countLive(projectId));
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

  /** A task's history: every event logged about it, oldest first — also after the task was removed. */
  taskEvents(projectId: number, number: number): VibeEvent[] {
    return this.read(() => this.events.eventsOfTask(projectId, number));
  }

  /** See review-records.ts: task.reviewed (and a move back to in_progress), in one transaction. */
  recordReview(projectId: number, number: number, input: ReviewInput): { task: FullTask; events: VibeEvent[] } {
    return this.write(() => recordReview(this.recordContext(), projectId, number, input));
  }

  /** See review-records.ts: the task moves to done along legal steps and task.merged is logged, in one transaction. */
  recordMerge(projectId: number, number: number, input: MergeInput): { task: FullTask; events: VibeEvent[] } {
    return this.write(() => recordMerge(this.recordContext(), projectId, number, input));
  }

  /**
   * Records a new link (its secret goes to the secret store, never here). Links are not logged as events:
   * they are the daemon's own business, not the task board's, and the event names are protocol.
   */
  createLink(input: CreateLinkInput): LinkRecord {
    assertWellFormed('id', input.id);
    assertWellFormed('label', input.label);
    const label = [...input.label].length;
    if (input.id.length === 0 || input.id.length > 100) throw new ProtocolError('invalid_params', 'a link id is 1 to 100 characters', { field: 'id' });
    if (label === 0 || label > 100) throw new ProtocolError('invalid_params', 'a link label is 1 to 100 characters', { field: 'label' });
    if (input.kind !== 'control' && input.kind !== 'view') throw new ProtocolError('invalid_params', 'a link is control or view', { field: 'kind' });
    return this.write(() => this.links.insert(input));
  }

  /** Every link, newest first, revoked ones included. */
  listLinks(): LinkRecord[] {
    return this.read(() => this.links.list());
  }

  getLink(id: string): LinkRecord | undefined {
    return this.read(() => this.links.get(id));
  }

  /** Marks a link revoked at `at`; `not_found` for an unknown id, `conflict` for one already revoked. */
  revokeLink(id: string, at: string = this.stamp()): LinkRecord {
    return this.write(() => this.links.revokeAt(id, at));
  }

  /** When a client last connected or left through the link. */
  touchLink(id: string, at: string = this.stamp()): void {
    this.write(() => this.links.touchAt(id, at));
  }

  relaySettings(): RelaySettingsRecord {
    return this.read(() => this.links.relaySettings());
  }

  /** Changes the settings given (a field left out or undefined stays; null clears); returns the new settings. */
  setRelaySettings(patch: Partial<RelaySettingsRecord>): RelaySettingsRecord {
    for (const field of ['url', 'embeddedHost'] as const) {
      const text = patch[field];
      if (typeof text === 'string') assertWellFormed(field, text);
    }
    const port = patch.embeddedPort;
    if (port !== undefined && port !== null && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
      throw new ProtocolError('invalid_params', `embedded relay port ${port} is not a port (0-65535)`, { field: 'embeddedPort' });
    }
    return this.write(() => this.links.setRelaySettings(patch));
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

  private requireTask(projectId: number, number: number): FullTask {
    const task = this.tasks.get(projectId, number);
    if (task) return task;
    const project = this.projects.require(projectId);
    throw new ProtocolError('not_found', `no task ${number} in project "${project.name}"`, { project: project.name, number });
  }

  private requireSession(id: number): StoredSession {
    const stored = this.sessions.find(id);
    if (!stored) throw new ProtocolError('not_found', `no session ${id}`, { session: id });
    return stored;
  }

  /** Writes a status change the caller has checked is legal and logs task.moved; inside a write transaction. */
  private moveWithin(current: FullTask, status: TaskStatus, at: string): { task: FullTask; event: EventOf<'task.moved'> } {
    const task: FullTask = { ...current, status, updatedAt: at };
    this.tasks.writeStatus(task);
    const scope = { projectId: task.projectId, taskNumber: task.number };
    const event = this.events.append({ name: 'task.moved', data: { task, from: current.status } }, at, scope);
    return { task, event };
  }

  private recordContext(): RecordContext {
    const { events } = this;
    return { requireTask: this.requireTask.bind(this), moveWithin: this.moveWithin.bind(this), append: events.append.bind(events), stamp: this.stamp.bind(this) };
  }

  private appendSessionUpdated(session: Session, projectId: number, at: string): EventOf<'session.updated'> {
    return this.events.append({ name: 'session.updated', data: { session } }, at, { projectId, taskNumber: session.taskNumber });
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

