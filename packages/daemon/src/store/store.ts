// The Store: every read and write of vibe's state, each write one transaction that also appends its event.
// The rules of the larger writes live beside it (task-writes.ts, session-writes.ts, review-records.ts,
// link-rules.ts, inbox-writes.ts); this class checks input, opens the transaction and hands them the tables.
import type { ChatMessage, InboxMessage, ProjectSelector, Session, TaskStatus, VibeEvent } from '@vibe/protocol';
import type { ChatListOptions, PostChatInput } from './chat.js';
import { checkNewApproval, recordApproval, settleApproval } from './approval-writes.js';
import type { ApprovalAnswer, ApprovalFilter, NewApproval, StoredApproval } from './approvals.js';
import { DEFAULT_BUSY_TIMEOUT_MS, openDatabase, type Db } from './database.js';
import { mapBusy } from './errors.js';
import type { EventsSinceOptions } from './events.js';
import { postInbox, readInbox, type PostInboxInput, type ReadInboxInput } from './inbox-writes.js';
import { checkNewLink, checkRelaySettings } from './link-rules.js';
import type { CreateLinkInput, LinkRecord, RelaySettingsRecord } from './links.js';
import { migrate, syncTransitions } from './migrations.js';
import type { RegisterProjectInput } from './projects.js';
import { resolveProject } from './resolve-project.js';
import { applySettings, type UpdateProjectInput } from './project-settings.js';
import { recordMerge, recordReview, type MergeInput, type ReviewInput } from './review-records.js';
import type { SessionPatch } from './session-rules.js';
import { checkNewSession, checkSessionPatch, insertSession, patchSession } from './session-writes.js';
import type { SessionFilter, SessionSecret } from './sessions.js';
import { StoreTables } from './store-tables.js';
import type {
  CreateSessionInput,
  CreateTaskInput,
  EventOf,
  FullProject,
  FullTask,
  SessionEvent,
  StatusCounts,
  StoreOptions,
  TaskCountsResult,
  UpdateTaskInput,
} from './store-types.js';
import { checkNewTask, checkTaskPatch, insertTask, insertTaskOnce, moveTask, patchTask } from './task-writes.js';
import { zeroCounts, type TaskFilter } from './tasks.js';
import { assertWellFormed } from './verbatim.js';

export class Store {
  private readonly tables: StoreTables;

  private constructor(
    private readonly db: Db,
    /** The database file this store has open. */
    readonly path: string,
    now: () => Date,
    /** Where opening it saved a copy of the database before migrating it to a newer schema, if it did. */
    readonly backup: string | undefined,
  ) {
    this.tables = new StoreTables(db, now);
  }

  /** Opens (creating and migrating as needed) the database at `options.path`. */
  static open(options: StoreOptions): Store {
    const db = openDatabase(options.path, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    try {
      const backup = mapBusy(options.path, () => {
        const taken = migrate(db, options.path);
        syncTransitions(db);
        return taken;
      });
      return new Store(db, options.path, options.now ?? (() => new Date()), backup);
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
    const known = this.read(() => this.tables.projects.getByPath(input.path));
    if (known) return { project: known, created: false };
    return this.write(() => {
      const existing = this.tables.projects.getByPath(input.path);
      if (existing) return { project: existing, created: false };
      const project = this.tables.projects.insertNew(input, this.tables.stamp());
      const event = this.tables.events.append({ name: 'project.registered', data: { project } }, project.createdAt, {
        projectId: project.id,
      });
      return { project, created: true, event };
    });
  }

  /** All projects, by name. */
  listProjects(): FullProject[] {
    return this.read(() => this.tables.projects.list());
  }

  getProject(id: number): FullProject | undefined {
    return this.read(() => this.tables.projects.get(id));
  }

  getProjectByName(name: string): FullProject | undefined {
    return this.read(() => this.tables.projects.getByName(name));
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
      const current = this.tables.projects.require(projectId);
      const project = applySettings(current, patch);
      if (!project) return { project: current };
      this.tables.projects.writeSettings(project);
      const event = this.tables.events.append({ name: 'project.updated', data: { project } }, this.tables.stamp(), { projectId });
      return { project, event };
    });
  }

  createTask(projectId: number, input: CreateTaskInput): { task: FullTask; event: EventOf<'task.created'> } {
    checkNewTask(input);
    return this.write(() => insertTask(this.tables, projectId, input));
  }

  /**
   * createTask once per client id in the project: a repeat answers the task the first made, as a duplicate
   * with no event; `not_found` if that task was removed since.
   */
  createTaskOnce(projectId: number, input: CreateTaskInput, clientId: string): { task: FullTask; event?: EventOf<'task.created'>; duplicate: boolean } {
    checkNewTask(input);
    return this.write(() => insertTaskOnce(this.tables, projectId, input, clientId));
  }

  /** Tasks ordered by project name, then number. */
  listTasks(filter: TaskFilter = {}): FullTask[] {
    return this.read(() => this.tables.tasks.list(filter));
  }

  getTask(projectId: number, number: number): FullTask {
    return this.read(() => this.tables.requireTask(projectId, number));
  }

  /** Changes only the fields given; with nothing actually different it writes nothing and logs nothing. */
  updateTask(projectId: number, number: number, patch: UpdateTaskInput): { task: FullTask; event?: EventOf<'task.updated'> } {
    checkTaskPatch(patch);
    return this.write(() => patchTask(this.tables, projectId, number, patch));
  }

  /** Moves a task along a legal transition; anything else is `illegal_transition` with the legal targets. */
  moveTask(projectId: number, number: number, status: TaskStatus): { task: FullTask; from: TaskStatus; event: EventOf<'task.moved'> } {
    return this.write(() => moveTask(this.tables, projectId, number, status));
  }

  /**
   * Deletes the task row and, by cascade, its sessions (callers remove worktrees first); the full task stays
   * in the event log, and its number is never handed out again.
   */
  removeTask(projectId: number, number: number): { task: FullTask; event: EventOf<'task.removed'> } {
    return this.write(() => {
      const task = this.tables.requireTask(projectId, number);
      this.tables.tasks.delete(projectId, number);
      const event = this.tables.events.append({ name: 'task.removed', data: { task } }, this.tables.stamp(), { projectId, taskNumber: number });
      return { task, event };
    });
  }

  /**
   * Records a new attempt at a task, in state starting, numbered after every earlier attempt. Moves the task
   * to in_progress from todo or in_review; refuses a done or cancelled task, and a project already running
   * its maxSessions, with nothing written. Events: session.updated, then task.moved if it moved.
   */
  createSession(projectId: number, taskNumber: number, input: CreateSessionInput): { session: Session; task: FullTask; events: SessionEvent[] } {
    checkNewSession(input);
    return this.write(() => insertSession(this.tables, projectId, taskNumber, input));
  }

  /**
   * Changes the fields given. Logs session.updated only when something a client sees changed (state, exit
   * code, pid, end time, size): a lastActivityAt-only update is written silently, as it comes often. When an
   * agent's turn ends (working or waiting to idle or exited) its task moves from in_progress to in_review.
   */
  updateSession(sessionId: number, patch: SessionPatch): { session: Session; events: SessionEvent[] } {
    checkSessionPatch(patch);
    return this.write(() => patchSession(this.tables, sessionId, patch));
  }

  getSession(id: number): Session | undefined {
    return this.read(() => this.tables.sessions.get(id));
  }

  /** Sessions oldest first; `live` keeps those not exited. */
  listSessions(filter: SessionFilter = {}): Session[] {
    return this.read(() => this.tables.sessions.list(filter));
  }

  /** The task's newest attempt; undefined when it was never started; `not_found` when there is no such task. */
  latestSession(projectId: number, number: number): Session | undefined {
    return this.read(() => {
      this.tables.requireTask(projectId, number);
      return this.tables.sessions.newestOf(projectId, number);
    });
  }

  /** The hook token and host name of a session, for the daemon's own use: never send these to a client. */
  sessionSecret(id: number): SessionSecret | undefined {
    return this.read(() => this.tables.sessions.secretOf(id));
  }

  /** Sessions of the project that have not exited (what maxSessions limits). */
  countLiveSessions(projectId: number): number {
    return this.read(() => this.tables.sessions.countLive(projectId));
  }

  taskCounts(): TaskCountsResult {
    return this.read(() => {
      const total = zeroCounts();
      const byProject = new Map<number, StatusCounts>(this.tables.projects.list().map((p) => [p.id, zeroCounts()]));
      for (const row of this.tables.tasks.countRows()) {
        total[row.status] += row.n;
        const counts = byProject.get(row.projectId);
        if (counts) counts[row.status] += row.n;
      }
      return { total, byProject };
    });
  }

  /** Logged events with seq greater than `seq`, oldest first. */
  eventsSince(seq: number, options: EventsSinceOptions = {}): VibeEvent[] {
    return this.read(() => this.tables.events.eventsSince(seq, options));
  }

  /** A task's history: every event logged about it, oldest first — also after the task was removed. */
  taskEvents(projectId: number, number: number): VibeEvent[] {
    return this.read(() => this.tables.events.eventsOfTask(projectId, number));
  }

  /** See review-records.ts: task.reviewed (and a move back to in_progress), in one transaction. */
  recordReview(projectId: number, number: number, input: ReviewInput): { task: FullTask; events: VibeEvent[] } {
    return this.write(() => recordReview(this.tables.recordContext(), projectId, number, input));
  }

  /** See review-records.ts: the task moves to done along legal steps and task.merged is logged, in one transaction. */
  recordMerge(projectId: number, number: number, input: MergeInput): { task: FullTask; events: VibeEvent[] } {
    return this.write(() => recordMerge(this.tables.recordContext(), projectId, number, input));
  }

  /** See inbox-writes.ts: a message for a task, with inbox.posted, in one transaction. */
  postInbox(projectId: number, input: PostInboxInput): { message: InboxMessage; event: EventOf<'inbox.posted'> } {
    return this.write(() => postInbox(this.tables, projectId, input));
  }

  /** See inbox-writes.ts: a task's messages; marking them read (the default) logs inbox.read in the same transaction. */
  readInbox(projectId: number, number: number, input: ReadInboxInput = {}): { messages: InboxMessage[]; event?: EventOf<'inbox.read'> } {
    const run = (): ReturnType<typeof readInbox> => readInbox(this.tables, projectId, number, input);
    return input.markRead === false ? this.read(run) : this.write(run);
  }

  /**
   * Records a new link (its secret goes to the secret store, never here). Links are not logged as events:
   * they are the daemon's own business, not the task board's, and the event names are protocol.
   */
  createLink(input: CreateLinkInput): LinkRecord {
    checkNewLink(input);
    return this.write(() => this.tables.links.insert(input));
  }

  /** Every link, newest first, revoked ones included. */
  listLinks(): LinkRecord[] {
    return this.read(() => this.tables.links.list());
  }

  getLink(id: string): LinkRecord | undefined {
    return this.read(() => this.tables.links.get(id));
  }

  /** Marks a link revoked at `at`; `not_found` for an unknown id, `conflict` for one already revoked. */
  revokeLink(id: string, at: string = this.tables.stamp()): LinkRecord {
    return this.write(() => this.tables.links.revokeAt(id, at));
  }

  /** When a client last connected or left through the link. */
  touchLink(id: string, at: string = this.tables.stamp()): void {
    this.write(() => this.tables.links.touchAt(id, at));
  }

  relaySettings(): RelaySettingsRecord {
    return this.read(() => this.tables.links.relaySettings());
  }

  /** Changes the settings given (a field left out or undefined stays; null clears); returns the new settings. */
  setRelaySettings(patch: Partial<RelaySettingsRecord>): RelaySettingsRecord {
    checkRelaySettings(patch);
    return this.write(() => this.tables.links.setRelaySettings(patch));
  }

  /**
   * See chat.ts: a message stored once per client id; no event is logged (chat.posted is pushed live).
   * `admit` runs only for a new message, before it is stored, and may refuse it by throwing (a rate limit).
   */
  postChat(input: PostChatInput, admit: () => void = () => {}): { message: ChatMessage; duplicate: boolean } {
    assertWellFormed('text', input.text);
    return this.write(() => {
      this.tables.projects.require(input.projectId);
      return this.tables.chat.post(input, this.tables.stamp(), admit);
    });
  }

  /** A project's newest chat messages (those before a message id, if given), oldest first. */
  listChat(projectId: number, options: ChatListOptions = {}): ChatMessage[] {
    return this.read(() => this.tables.chat.list(projectId, options));
  }

  /** See approval-writes.ts: a pending approval and approval.requested; a known request key returns its approval as it is. */
  requestApproval(input: NewApproval): { stored: StoredApproval; event?: EventOf<'approval.requested'> } {
    checkNewApproval(input);
    return this.write(() => recordApproval(this.tables, input));
  }

  /** See approval-writes.ts: settles a pending approval once, with approval.answered; `conflict` after that. */
  answerApproval(id: number, answer: ApprovalAnswer): { stored: StoredApproval; event: EventOf<'approval.answered'> } {
    return this.write(() => settleApproval(this.tables, id, answer));
  }

  getApproval(id: number): StoredApproval | undefined {
    return this.read(() => this.tables.approvals.get(id));
  }

  /** Approvals newest first: of a project or a session, pending ones only, or all. */
  listApprovals(filter: ApprovalFilter = {}): StoredApproval[] {
    return this.read(() => this.tables.approvals.list(filter));
  }

  /** The newest event's seq; 0 when the log is empty. */
  lastEventSeq(): number {
    return this.read(() => this.tables.events.lastSeq());
  }

  /** SQLite's PRAGMA integrity_check: "ok", or the problems found, one a line. */
  integrityCheck(): string {
    return this.read(() => (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n'));
  }

  /** Closes the database; further calls throw. Safe to call twice. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private read<T>(fn: () => T): T {
    return mapBusy(this.path, fn);
  }

  /** One immediate transaction: the write lock is taken up front, so busy_timeout governs the only wait. */
  private write<T>(fn: () => T): T {
    return mapBusy(this.path, () => this.db.transaction(fn).immediate());
  }
}

