// What the page knows of the daemon: its projects, their tasks and each task's newest session, kept current by
// the daemon's pushed events. On every (re)connection it is fetched whole again and then followed, so nothing
// missed while the connection was away stays missing.
import type { Approval, ChatMessage, ControlClient, DaemonStatus, Event, Project, Session, Task, Viewer } from '@vibe/protocol';

export type TaskSession = NonNullable<Task['session']>;

export interface AgentChoice {
  name: string;
  available: boolean;
}

export class BoardState {
  projects: Project[] = [];
  tasks = new Map<string, Task>();
  agents: AgentChoice[] = [];
  defaultAgent: string | undefined;
  status: DaemonStatus | undefined;
  /** Pending approvals by id (protocol 1.5; empty with an older daemon). */
  approvals = new Map<string, Approval>();
  /** Who watches each session, by session id, as the daemon last said. */
  viewers = new Map<number, Viewer[]>();
  loaded = false;
  private readonly chatListeners = new Set<(message: ChatMessage) => void>();
  private readonly listeners = new Set<() => void>();
  private readonly sessionListeners = new Set<(session: Session, before: TaskSession | null | undefined) => void>();
  private generation = 0;

  static key(project: string, number: number): string {
    return `${project}#${number}`;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A session changed state; `before` is what the task showed until now (for "started waiting"). */
  onSession(listener: (session: Session, before: TaskSession | null | undefined) => void): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  /** Chat messages as they are posted (the chat panel keeps its own history). */
  onChat(listener: (message: ChatMessage) => void): () => void {
    this.chatListeners.add(listener);
    return () => this.chatListeners.delete(listener);
  }

  pendingApprovals(filter: { project?: string; session?: number } = {}): Approval[] {
    return [...this.approvals.values()]
      .filter((approval) => (filter.project === undefined || approval.project === filter.project) && (filter.session === undefined || approval.session === filter.session))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  tasksOf(project: string): Task[] {
    return [...this.tasks.values()].filter((task) => task.project === project).sort((a, b) => a.number - b.number);
  }

  task(project: string, number: number): Task | undefined {
    return this.tasks.get(BoardState.key(project, number));
  }

  /** Subscribes first, then lists, so an event in between is applied to (or superseded by) the listing. */
  async load(client: ControlClient): Promise<void> {
    const generation = ++this.generation;
    const pending: Event[] = [];
    /** Sessions whose viewers an event told since the subscription: newer than any answer to a question. */
    const heard = new Set<number>();
    let listed = false;
    client.onEvent((event) => {
      if (generation !== this.generation) return;
      if (event.name === 'session.viewers') heard.add(event.data.session);
      if (listed) this.apply(event);
      else pending.push(event);
    });
    await client.request('events.subscribe', {});
    const [projects, tasks, status, approvals] = await Promise.all([
      client.request('project.list', {}),
      client.request('task.list', { allProjects: true }),
      client.request('daemon.status', {}),
      // A daemon before protocol 1.5 has no approvals to list.
      client.request('approval.list', { allProjects: true, pending: true }).catch(() => ({ approvals: [] as Approval[] })),
    ]);
    if (generation !== this.generation) return;
    this.projects = projects.projects;
    this.tasks = new Map(tasks.tasks.map((task) => [BoardState.key(task.project, task.number), task]));
    this.status = status;
    this.approvals = new Map(approvals.approvals.map((approval) => [approval.id, approval]));
    // Lists kept from an earlier connection may be stale (a watcher gone, "typing…" frozen): asked afresh below.
    this.viewers = new Map();
    // Daemons before protocol 1.4 do not list their agents: the form then offers the default only.
    this.agents = status.agents ?? [];
    this.defaultAgent = status.defaultAgent;
    listed = true;
    this.loaded = true;
    for (const event of pending) this.apply(event);
    this.changed();
    await this.loadViewers(client, generation, heard);
  }

  /**
   * Who watches each running session, asked once per connection (as the terminal board does); session.viewers
   * events keep it current after. Each event carries a session's whole list and the daemon sends one for every
   * change, so a list heard by event since the subscription is at least as new as an answer: that answer is
   * dropped. An older daemon has no session.viewers; the cards then show nobody watching.
   */
  private async loadViewers(client: ControlClient, generation: number, heard: ReadonlySet<number>): Promise<void> {
    const running = [...this.tasks.values()].flatMap((task) => (task.session && task.session.state !== 'exited' ? [task.session.id] : []));
    const answers = await Promise.all(running.map(async (session) => [session, await client.request('session.viewers', { session }).catch(() => undefined)] as const));
    if (generation !== this.generation) return;
    let changed = false;
    for (const [session, answer] of answers) {
      if (!answer || heard.has(session)) continue;
      this.viewers.set(session, answer.viewers);
      changed = true;
    }
    if (changed) this.changed();
  }

  private apply(event: Event): void {
    switch (event.name) {
      case 'project.registered':
      case 'project.updated': {
        const { project } = event.data;
        this.projects = [...this.projects.filter((known) => known.id !== project.id), project].sort((a, b) => a.name.localeCompare(b.name));
        break;
      }
      case 'task.created':
      case 'task.updated':
      case 'task.moved':
      case 'task.reviewed':
      case 'task.merged': {
        const { task } = event.data;
        const known = this.tasks.get(BoardState.key(task.project, task.number));
        // Events carry the task as it was logged; a session change since then must not be undone by it.
        this.tasks.set(BoardState.key(task.project, task.number), { ...task, session: newer(known?.session, task.session) });
        break;
      }
      case 'task.removed':
        this.tasks.delete(BoardState.key(event.data.task.project, event.data.task.number));
        break;
      case 'approval.requested':
      case 'approval.answered': {
        const { approval } = event.data;
        if (approval.state === 'pending') this.approvals.set(approval.id, approval);
        else this.approvals.delete(approval.id);
        break;
      }
      case 'session.viewers':
        this.viewers.set(event.data.session, event.data.viewers);
        break;
      case 'chat.posted':
        for (const listener of this.chatListeners) listener(event.data.message);
        return;
      case 'session.updated': {
        const { session } = event.data;
        const key = BoardState.key(session.project, session.taskNumber);
        const task = this.tasks.get(key);
        if (!task) break;
        const before = task.session;
        // Only the newest attempt is the card's; an older attempt's session ending says nothing of the task.
        if (before && before.attempt > session.attempt) break;
        const next: TaskSession = { id: session.id, attempt: session.attempt, agent: session.agent, state: session.state, exitCode: session.exitCode, lastActivityAt: session.lastActivityAt };
        this.tasks.set(key, { ...task, session: next, attempts: Math.max(task.attempts ?? 0, session.attempt) });
        for (const listener of this.sessionListeners) listener(session, before);
        break;
      }
    }
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function newer(a: TaskSession | null | undefined, b: TaskSession | null | undefined): TaskSession | null | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.attempt !== b.attempt) return a.attempt > b.attempt ? a : b;
  return a.lastActivityAt > b.lastActivityAt ? a : b;
}
