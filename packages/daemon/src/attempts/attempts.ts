// Runs task attempts: validates, makes the worktree, launches the agent in a session, and follows its
// state until it exits. The one place that combines the store, worktrees, agents and sessions rooms.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ProtocolError, type AgentState, type Session, type VibeEvent } from '@vibe/protocol';
import { writeAgentFiles, type AgentAdapter } from '../agents/index.js';
import type { HostedTerminal } from '../sessions/index.js';
import type { Store } from '../store/index.js';
import type { RunnerSpec } from '../runner.js';
import { attemptEnv, mcpServer } from './attempt-env.js';
import { KeyedLock } from './keyed-lock.js';
import { checkRemoval, removeWorktrees } from './removal.js';
import { sameSecret } from './secrets.js';
import type { AttemptsOptions, Detection, PendingStart } from './types.js';

const DEFAULT_SIZE = { cols: 120, rows: 36 };

export class Attempts {
  private readonly taskLocks = new KeyedLock();
  /** Per task: the starts under way or waiting their turn, which a remove must not follow. */
  private readonly pendingStarts = new Map<string, Set<PendingStart>>();

  constructor(private readonly options: AttemptsOptions) {}

  /**
   * Starts a new attempt. Everything that can be refused (unknown agent, missing CLI, illegal status,
   * session limit, base branch, dirty checkout) is checked before anything is created.
   */
  start(selector: { project?: string; cwd?: string; number: number; agent?: string }): Promise<Session> {
    return this.starting(selector, (pending) => this.startNow(selector, pending));
  }

  private async startNow(selector: { project?: string; cwd?: string; number: number; agent?: string }, pending: PendingStart): Promise<Session> {
    const { store, worktrees } = this.options;
    const project = store.resolveProject(selector);
    const task = store.getTask(project.id, selector.number);
    const agentName = selector.agent ?? task.agent ?? this.options.defaultAgent();
    const adapter = this.options.resolveAgent(agentName);
    if (task.status === 'done') throw new ProtocolError('illegal_transition', `task ${task.number} is done; done is final — add a new task for more work`);
    if (task.status === 'cancelled') throw new ProtocolError('illegal_transition', `task ${task.number} is cancelled; reopen it with \`vibe task mv ${task.number} todo\` first`);
    const { settings } = project;
    // Checked here so nothing is created for a start that would be refused; the store checks again atomically.
    const live = store.countLiveSessions(project.id);
    if (live >= settings.maxSessions) {
      throw new ProtocolError(
        'conflict',
        `project "${project.name}" already runs ${live} sessions (max ${settings.maxSessions}); stop one or raise it with \`vibe project set --max-sessions N\``,
      );
    }
    await worktrees.preflight({ repo: project.path, baseBranch: project.baseBranch });

    const attempt = task.attempts + 1;
    pending.what = `attempt ${attempt} (${adapter.name})`;
    const branch = worktrees.branchName(task.number, task.title, attempt);
    const worktree = join(this.options.paths.worktrees, String(project.id), `${task.number}-${attempt}`);
    mkdirSync(dirname(worktree), { recursive: true, mode: 0o700 });
    await worktrees.createWorktree({ repo: project.path, baseBranch: project.baseBranch, path: worktree, branch });

    const prompt = task.description ? `${task.title}\n\n${task.description}` : task.title;
    try {
      return await this.launch(project, task.number, adapter, { branch, worktree, prompt, setup: true });
    } catch (error) {
      // The store refused at the last moment (a racing start took the last slot, the task moved on): the
      // worktree and branch made for this attempt would block every later start, so they go too. A launch
      // that failed after its session was recorded keeps them, like any exited attempt.
      if (!store.listSessions({ projectId: project.id, taskNumber: task.number }).some((s) => s.worktree === worktree)) {
        await worktrees.removeWorktree({ repo: project.path, path: worktree, branch, force: true }).catch(() => undefined);
      }
      throw error;
    }
  }

  /**
   * Runs the agent of an exited attempt again in the same worktree and branch, with `prompt` (review
   * feedback, a conflict to resolve) as its first prompt. The run is recorded as a new attempt number that
   * shares the worktree and branch: a sessions row is one run of an agent (its pid, exit code, hook token
   * and times), UNIQUE(task_id, attempt) keeps attempt numbers the stable handle clients use, and a new
   * number is how `vibe ps` and the board tell the second run from the first.
   */
  resume(selector: { project?: string; cwd?: string; number: number; attempt?: number; prompt: string }): Promise<Session> {
    return this.starting(selector, (pending) => this.resumeNow(selector, pending));
  }

  private async resumeNow(selector: { project?: string; cwd?: string; number: number; attempt?: number; prompt: string }, pending: PendingStart): Promise<Session> {
    const { store } = this.options;
    const project = store.resolveProject(selector);
    const task = store.getTask(project.id, selector.number);
    const previous = this.attemptSession(project.id, selector.number, selector.attempt);
    if (previous.state !== 'exited') throw new ProtocolError('conflict', `attempt ${previous.attempt} of task ${task.number} is still running; type into it instead`);
    if (task.status === 'done' || task.status === 'cancelled') {
      throw new ProtocolError('illegal_transition', `task ${task.number} is ${task.status}; its agent cannot be started again`);
    }
    if (!existsSync(previous.worktree)) {
      throw new ProtocolError('conflict', `the worktree of attempt ${previous.attempt} (${previous.worktree}) is gone; start a new attempt with \`vibe task start ${task.number}\``);
    }
    const adapter = this.options.resolveAgent(previous.agent);
    pending.what = `a restart of attempt ${previous.attempt} (${adapter.name})`;
    const live = store.countLiveSessions(project.id);
    if (live >= project.settings.maxSessions) {
      throw new ProtocolError('conflict', `project "${project.name}" already runs ${live} sessions (max ${project.settings.maxSessions}); stop one first`);
    }
    return this.launch(project, task.number, adapter, {
      branch: previous.branch,
      worktree: previous.worktree,
      prompt: selector.prompt,
      // The worktree was set up by the run it continues.
      setup: false,
    });
  }

  /** The session of one attempt of a task, or of its newest; not_found when there is none. */
  attemptSession(projectId: number, taskNumber: number, attempt?: number): Session {
    const { store } = this.options;
    if (attempt === undefined) {
      const newest = store.latestSession(projectId, taskNumber);
      if (!newest) throw new ProtocolError('not_found', `task ${taskNumber} has never been started; run \`vibe task start ${taskNumber}\``);
      return newest;
    }
    const session = store.listSessions({ projectId, taskNumber }).find((s) => s.attempt === attempt);
    if (!session) throw new ProtocolError('not_found', `task ${taskNumber} has no attempt ${attempt}`);
    return session;
  }

  /**
   * Runs `work` alone for its task: a stop waits for a start under way, two reviews cannot both restart the
   * agent, and a remove never races a start into a half-made worktree.
   */
  private async exclusive<T>(selector: { project?: string; cwd?: string; number: number }, work: () => Promise<T>): Promise<T> {
    return this.taskLocks.run(this.taskKey(selector), work);
  }

  /** Like `exclusive`, and known as a start from the moment it is asked for until it settles. */
  private async starting<T>(selector: { project?: string; cwd?: string; number: number }, work: (pending: PendingStart) => Promise<T>): Promise<T> {
    const key = this.taskKey(selector);
    const pending: PendingStart = { what: 'a new attempt' };
    const starts = this.pendingStarts.get(key) ?? new Set<PendingStart>();
    this.pendingStarts.set(key, starts.add(pending));
    try {
      return await this.taskLocks.run(key, () => work(pending));
    } finally {
      starts.delete(pending);
      if (starts.size === 0 && this.pendingStarts.get(key) === starts) this.pendingStarts.delete(key);
    }
  }

  private taskKey(selector: { project?: string; cwd?: string; number: number }): string {
    return `${this.options.store.resolveProject(selector).id}#${selector.number}`;
  }

  /** Records a session for the worktree and launches the agent in it; a launch that fails is marked exited. */
  private async launch(
    project: ReturnType<Store['resolveProject']>,
    taskNumber: number,
    adapter: AgentAdapter,
    { branch, worktree, prompt, setup }: { branch: string; worktree: string; prompt: string; setup: boolean },
  ): Promise<Session> {
    const { store, worktrees } = this.options;
    const { settings } = project;
    const size = this.options.size ?? DEFAULT_SIZE;
    const hookToken = randomBytes(24).toString('hex');
    const host = this.options.host;
    const created = store.createSession(project.id, taskNumber, {
      agent: adapter.name,
      host: host.kind,
      hostName: '',
      branch,
      worktree,
      cols: size.cols,
      rows: size.rows,
      hookToken,
    });
    for (const event of created.events) this.options.publish(event);
    const session = created.session;
    const hostName = `vibe_${session.id}`;
    let specPath: string | undefined;
    try {
      const hookEnv = {
        VIBE_SESSION: String(session.id),
        VIBE_HOOK_TOKEN: hookToken,
        VIBE_SOCKET: this.options.paths.socket,
        VIBE_HOOK_NODE: this.options.node[0]!,
        VIBE_HOOK_SCRIPT: this.options.hookScript,
      };
      const taskEnv = attemptEnv(project.name, taskNumber, session.attempt);
      const mcp = mcpServer(this.options.mcpCommand, this.options.paths.socket, taskEnv, project.name, taskNumber);
      const launch = await adapter.launch(
        {
          sessionId: session.id,
          worktree,
          repository: project.path,
          prompt,
          instructions: settings.instructions ?? '',
          hook: { argv: [this.options.node[0]!, this.options.hookScript], env: hookEnv },
          mcp,
        },
        { isTracked: (rel: string) => worktrees.isTracked(worktree, rel) },
      );
      await writeAgentFiles(worktree, launch.files);
      if (launch.excludes.length > 0) await worktrees.excludeFromGit(worktree, launch.excludes);
      const spec: RunnerSpec = { setup: setup ? settings.setup : null, argv: launch.argv, env: { ...hookEnv, ...taskEnv, ...launch.env } };
      specPath = join(this.options.paths.data, 'sessions', `${session.id}.json`);
      mkdirSync(dirname(specPath), { recursive: true, mode: 0o700 });
      writeFileSync(specPath, JSON.stringify(spec), { mode: 0o600 });
      const terminal = await host.start({
        name: hostName,
        cwd: worktree,
        argv: [...this.options.node, this.options.runnerScript, specPath],
        env: { VIBE_SESSION: String(session.id) },
        cols: size.cols,
        rows: size.rows,
      });
      this.follow(session.id, terminal, { usesHooks: launch.usesHooks, hooksReportWorking: adapter.hooksReportWorking, waitingPatterns: adapter.waitingPatterns });
      // An agent that takes its prompt on stdin gets it typed, as a user would.
      if (launch.stdin) terminal.write(launch.stdin);
      return this.update(session.id, { hostName, pid: terminal.pid() ?? null });
    } catch (error) {
      this.options.logger.error('session failed to start', { session: session.id, error });
      // The runner never read it: the hook token must not stay on disk.
      if (specPath) rmSync(specPath, { force: true });
      this.update(session.id, { state: 'exited', exitCode: null, endedAt: new Date().toISOString() });
      throw error instanceof ProtocolError
        ? error
        : new ProtocolError('internal', `could not start the session: ${(error as Error).message}; the worktree is kept at ${worktree}`);
    }
  }

  /** Re-adopts the sessions a previous daemon run left; those whose terminal vanished are marked exited. */
  async adoptAll(): Promise<void> {
    const { store, host } = this.options;
    for (const session of store.listSessions({ live: true })) {
      const hostName = store.sessionSecret(session.id)?.hostName;
      const terminal = session.host === host.kind && host.survivesRestart && hostName ? await host.adopt(hostName, session.cols, session.rows) : undefined;
      if (!terminal) {
        this.options.logger.info('session vanished while the daemon was down', { session: session.id });
        this.update(session.id, { state: 'exited', exitCode: null, endedAt: new Date().toISOString(), pid: null });
        continue;
      }
      // Seeded with the stored state: an old prompt still on screen must not turn an idle agent "waiting".
      this.follow(session.id, terminal, { ...this.adapterFor(session.agent), initialState: session.state });
      this.update(session.id, { pid: terminal.pid() ?? null });
      this.options.logger.info('session adopted', { session: session.id });
    }
  }

  /** Stops the task's running sessions: graceful first, then forced. Worktrees stay. */
  stop(selector: { project?: string; cwd?: string; number: number }): Promise<Session[]> {
    return this.exclusive(selector, () => this.stopNow(selector));
  }

  private async stopNow(selector: { project?: string; cwd?: string; number: number }): Promise<Session[]> {
    const { store } = this.options;
    const project = store.resolveProject(selector);
    store.getTask(project.id, selector.number);
    // Stopping what is already stopped is not an error: the result says nothing was running.
    const live = store.listSessions({ projectId: project.id, taskNumber: selector.number, live: true });
    await Promise.all(live.map((session) => this.stopSession(session.id)));
    return live.map((session) => this.session(session.id));
  }

  /**
   * Removes a task; with attempts, also their worktrees and branches — refusing without `force` if work would
   * be lost. A start asked for earlier wins: the remove is refused at once, even with `force`, rather than
   * waiting to undo it; a start asked for later finds the task gone.
   */
  async remove(selector: { project?: string; cwd?: string; number: number; force?: boolean }): Promise<VibeEvent | undefined> {
    const starts = [...(this.pendingStarts.get(this.taskKey(selector)) ?? [])];
    if (starts.length > 0) {
      const what = starts.map((start) => start.what).join(' and ');
      throw new ProtocolError(
        'conflict',
        `task ${selector.number} is starting ${what}; nothing was removed — once it has started, stop it (\`vibe task stop ${selector.number}\`) and remove the task again`,
        { starting: starts.map((start) => start.what) },
      );
    }
    return this.exclusive(selector, () => this.removeNow(selector));
  }

  private async removeNow(selector: { project?: string; cwd?: string; number: number; force?: boolean }): Promise<VibeEvent | undefined> {
    const { store, worktrees } = this.options;
    const project = store.resolveProject(selector);
    store.getTask(project.id, selector.number);
    const sessions = store.listSessions({ projectId: project.id, taskNumber: selector.number });
    // A resumed run shares its worktree and branch with the attempt it continues: look at each worktree once.
    const worktreesOf = [...new Map(sessions.map((session) => [session.worktree, session])).values()];
    if (!selector.force) {
      // Every attempt is looked at first, and only then is anything removed.
      const { losses, running } = await checkRemoval(project.path, sessions, worktrees);
      if (losses.length > 0) {
        const stop = running.length > 0 ? `stop its agent (\`vibe task stop ${selector.number}\`) or ` : '';
        throw new ProtocolError('conflict', `removing task ${selector.number} would lose work: ${losses.join('; ')} — ${stop}pass --force to remove it anyway`, { losses, running });
      }
    } else {
      for (const session of sessions) if (session.state !== 'exited') await this.stopSession(session.id);
    }
    await removeWorktrees(this.options, project.path, selector.number, worktreesOf, selector.force ?? false);
    for (const session of sessions) this.options.terminals.remove(session.id);
    return store.removeTask(project.id, selector.number).event;
  }

  /** A viewer resized the session: clients listing sessions see the new size. */
  resized(sessionId: number, cols: number, rows: number): void {
    const session = this.session(sessionId);
    if (session.state !== 'exited' && (session.cols !== cols || session.rows !== rows)) this.update(sessionId, { cols, rows });
  }

  /** Types into a session, all or nothing: `busy` when its program has stopped reading input. */
  send(sessionId: number, text: string, enter: boolean): void {
    const terminal = this.terminal(sessionId);
    try {
      terminal.write(enter ? `${text}\r` : text);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      throw new ProtocolError(error.code, `session ${sessionId}: ${error.message}`, error.data, { cause: error });
    }
  }

  hook(sessionId: number, token: string, event: AgentState): void {
    const session = this.hookSession(sessionId, token);
    this.options.terminals.hookReported(sessionId, event);
    const changed = session.state !== 'exited' && session.state !== event;
    this.options.logger.info('agent state from its hook', { session: sessionId, state: event, changed });
    if (changed) this.update(sessionId, { state: event });
  }

  /** The session a hook runs in, when `token` is that session's; `not_found` otherwise. */
  hookSession(sessionId: number, token: string): Session {
    const secret = this.options.store.sessionSecret(sessionId);
    if (!secret || !sameSecret(secret.hookToken, token)) throw new ProtocolError('not_found', `no session ${sessionId} with that token`);
    return this.session(sessionId);
  }

  /** The session as clients should see it, with the in-memory last activity. */
  view(session: Session): Session {
    const activity = this.options.terminals.lastActivity(session.id);
    return activity && activity.toISOString() > session.lastActivityAt ? { ...session, lastActivityAt: activity.toISOString() } : session;
  }

  /** Lets go of every terminal without stopping it (daemon shutdown: tmux sessions live on). */
  release(): void {
    for (const session of this.options.store.listSessions({ live: true })) {
      const terminal = this.options.terminals.get(session.id);
      if (!terminal) continue;
      if (this.options.host.survivesRestart) terminal.release();
      this.options.terminals.remove(session.id);
    }
  }

  /** A session by id; not_found names it. */
  session(sessionId: number): Session {
    const session = this.options.store.getSession(sessionId);
    if (!session) throw new ProtocolError('not_found', `no session ${sessionId}`);
    return session;
  }

  terminal(sessionId: number): HostedTerminal {
    const terminal = this.options.terminals.get(sessionId);
    if (!terminal) throw new ProtocolError('conflict', `session ${sessionId} is not running`);
    return terminal;
  }

  private async stopSession(sessionId: number): Promise<void> {
    const terminal = this.options.terminals.get(sessionId);
    if (terminal) await terminal.stop(this.options.stopGraceMs ?? 3000);
    const session = this.session(sessionId);
    if (session.state !== 'exited') this.update(sessionId, { state: 'exited', endedAt: new Date().toISOString(), pid: null });
  }

  private follow(sessionId: number, terminal: HostedTerminal, detection: Detection): void {
    this.options.terminals.add(sessionId, terminal, detection, (state) => {
      const session = this.session(sessionId);
      if (session.state !== 'exited' && session.state !== state) this.update(sessionId, { state });
    });
    terminal.onExit((code: number | null) => {
      this.options.logger.info('session exited', { session: sessionId, code });
      const session = this.session(sessionId);
      if (session.state !== 'exited' || session.exitCode === null) {
        this.update(sessionId, { state: 'exited', exitCode: code, endedAt: new Date().toISOString(), pid: null });
      }
    });
  }

  private adapterFor(agent: string): Pick<AgentAdapter, 'usesHooks' | 'hooksReportWorking' | 'waitingPatterns'> {
    try {
      return this.options.resolveAgent(agent);
    } catch {
      // The agent's CLI was uninstalled while its session ran: keep following it by output alone.
      return { usesHooks: false, waitingPatterns: [] };
    }
  }

  private update(sessionId: number, patch: Parameters<Store['updateSession']>[1]): Session {
    const { session, events } = this.options.store.updateSession(sessionId, patch);
    for (const event of events) this.options.publish(event);
    return session;
  }
}
