// Holds agents' permission requests until a person answers them. A request comes either from the agent's own
// permission hook (the hook program waits on `approval.request` and hands the decision back: no keys typed) or,
// for an agent without such a hook, from its on-screen dialog (answering types the agent's own key). The first
// answer wins — vibe's or the agent's own dialog at the desk — and nothing is ever allowed by default or by time.
import { ProtocolError, type Approval, type ApprovalDecision, type MethodParams, type Session, type VibeEvent } from '@vibe/protocol';
import type { Logger } from '../logger.js';
import { processAlive } from '../sessions/processes.js';
import type { StoredApproval, Store } from '../store/index.js';
import { dialogText } from './dialog-text.js';

/** The keys that answer an agent's own permission dialog, typed as they are; its dialogs' texts, when known. */
export interface ScreenKeys {
  allow: string;
  deny: string;
  prompts?: readonly RegExp[];
}

export interface ApprovalsOptions {
  store: Store;
  publish(event: VibeEvent | undefined): void;
  /** The session whose hook holds `token`; `not_found` otherwise (the attempts room keeps the tokens). */
  hookSession(sessionId: number, token: string): Session;
  /** Types into a session, as `vibe send` does; throws when it is not running. */
  type(sessionId: number, text: string): void;
  /** The session's visible screen as text, where the host can tell. */
  screenText(sessionId: number): Promise<string | undefined>;
  /** An agent's keys for its own dialog, when it has no permission hook vibe wires (undefined: it has one). */
  screenKeys(agent: string): ScreenKeys | undefined;
  /** Whether the agent shows its own dialog while its hook holds a request (see AgentAdapter.dialogBesideHook). */
  dialogBesideHook(agent: string): boolean;
  logger: Logger;
  /** Whether a process still runs (tests replace it). */
  isAlive?(pid: number): boolean;
  /** How long a restarted daemon waits for a hook that still runs to ask again, before cancelling its approval. */
  reclaimMs?: number;
}

/** Who is waiting on an approval: a hook's request, on one connection. */
interface Waiter {
  connection: object;
  resolve(approval: Approval): void;
  reject(error: Error): void;
}

const RECLAIM_MS = 30_000;
const SCREEN_OPTIONS = ['allow', 'deny'];

export class Approvals {
  /** Hook requests waiting, by approval id. */
  private readonly waiting = new Map<string, Set<Waiter>>();
  /** Each session's last known state, to see it leave `waiting`. */
  private readonly states = new Map<number, Session['state']>();
  private released = false;
  private reclaimTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ApprovalsOptions) {}

  /**
   * Picks up what a previous daemon run left pending: an approval whose hook process is gone, or whose session
   * ended, is cancelled now; one whose hook still runs gets `reclaimMs` to ask again (it reconnects on its own).
   */
  start(): void {
    const isAlive = this.options.isAlive ?? processAlive;
    for (const { approval, hookPid } of this.options.store.listApprovals({ pending: true })) {
      const session = this.options.store.getSession(approval.session);
      if (!session || session.state === 'exited') this.cancel(approval.id, 'the agent exited while vibe was down');
      else if (approval.via === 'hook' && (hookPid === null || !isAlive(hookPid))) this.cancel(approval.id, 'the agent stopped waiting while vibe was down');
      // Nobody watched the screen meanwhile: the dialog may have been answered at the desk and another shown,
      // which an answer to this one would type into. The dialog on screen now is read again below.
      else if (approval.via === 'screen') this.cancel(approval.id, 'vibe restarted; the agent\'s dialog is read again');
    }
    // Each live session's state as the previous run left it, so its next change is seen as a change.
    for (const session of this.options.store.listSessions({ live: true })) {
      this.states.set(session.id, session.state);
      const keys = session.state === 'waiting' ? this.options.screenKeys(session.agent) : undefined;
      if (keys) void this.screenApproval(session, keys);
    }
    this.reclaimTimer = setTimeout(() => {
      for (const { approval } of this.options.store.listApprovals({ pending: true })) {
        if (approval.via === 'hook' && !this.waiting.has(approval.id)) this.cancel(approval.id, 'the agent stopped waiting while vibe was down');
      }
    }, this.options.reclaimMs ?? RECLAIM_MS);
    this.reclaimTimer.unref();
  }

  /**
   * The hook side of `approval.request`: records the agent's request (or finds it again, for a hook that
   * reconnected) and resolves with it once it is answered or cancelled.
   */
  request(params: MethodParams<'approval.request'>, connection: object): Promise<Approval> {
    if (this.released) return Promise.reject(stopping());
    const session = this.options.hookSession(params.session, params.token);
    const { stored, event } = this.options.store.requestApproval({
      sessionId: session.id,
      tool: params.tool,
      detail: params.detail,
      options: params.options ?? SCREEN_OPTIONS,
      via: 'hook',
      requestKey: params.request,
      hookPid: params.pid,
    });
    this.options.publish(event);
    const { approval } = stored;
    if (approval.state !== 'pending') return Promise.resolve(approval);
    if (event) {
      this.options.logger.info('approval requested', { approval: approval.id, session: session.id, tool: approval.tool });
      // The hook's request is the real one: a screen approval for the same dialog would be a second answer.
      for (const other of this.pendingOf(session.id)) if (other.approval.via === 'screen') this.cancel(other.approval.id, 'superseded by the agent\'s hook');
    }
    return new Promise((resolve, reject) => {
      let waiters = this.waiting.get(approval.id);
      if (!waiters) this.waiting.set(approval.id, (waiters = new Set()));
      waiters.add({ connection, resolve, reject });
    });
  }

  /**
   * Answers a pending approval: the first answer wins, a second is `conflict`. A hook's request returns with
   * the decision; an on-screen dialog gets the agent's own key, typed once the answer is recorded.
   */
  answer(id: string, decision: ApprovalDecision, reason: string | undefined, answeredBy: string): Approval {
    const current = this.stored(id).approval;
    const keys = current.via === 'screen' ? this.options.screenKeys(current.agent) : undefined;
    if (keys && current.state === 'pending') {
      // The key goes first, so an answer that reaches no dialog (the session stopped) is refused and not
      // recorded as given; nothing runs in between, so no other answer can come first.
      try {
        this.options.type(current.session, decision === 'allow' ? keys.allow : keys.deny);
      } catch (error) {
        this.options.logger.warn('could not type the answer into the agent\'s dialog', { approval: id, error });
        throw new ProtocolError('conflict', `approval ${id}: the agent's dialog cannot be answered (${error instanceof Error ? error.message : String(error)}); nothing was recorded`, { id });
      }
    }
    return this.settle(id, { state: decision === 'allow' ? 'allowed' : 'denied', answeredBy, reason: reason ?? null });
  }

  list(filter: { projectId?: number; pending?: boolean }): Approval[] {
    return this.options.store.listApprovals(filter).map((stored) => stored.approval);
  }

  /**
   * Follows the sessions' states (every published event passes here): an agent that exits, or leaves its
   * dialog before vibe answered (someone answered it at the desk), cancels what it asked; an agent without a
   * permission hook that starts waiting gets a screen approval for its dialog.
   */
  observe(event: VibeEvent | undefined): void {
    if (event?.name !== 'session.updated') return;
    const { session } = event.data;
    const before = this.states.get(session.id);
    this.states.set(session.id, session.state);
    if (session.state === 'exited') {
      this.states.delete(session.id);
      for (const { approval } of this.pendingOf(session.id)) this.cancel(approval.id, 'the agent exited');
    } else if (before === 'waiting' && session.state !== 'waiting') {
      // The dialog on screen was answered there — unless the hook holds the request with no dialog shown.
      for (const { approval } of this.pendingOf(session.id)) {
        if (approval.via === 'screen' || this.options.dialogBesideHook(approval.agent)) this.cancel(approval.id, 'answered in the agent\'s own dialog', 'desk');
      }
    } else if (session.state === 'waiting' && before !== 'waiting' && !this.released) {
      const keys = this.options.screenKeys(session.agent);
      if (keys) void this.screenApproval(session, keys);
    }
  }

  /** A connection went away: approvals only it waited on are cancelled — the agent killed its hook. */
  connectionClosed(connection: object): void {
    if (this.released) return;
    for (const [id, waiters] of this.waiting) {
      for (const waiter of waiters) if (waiter.connection === connection) waiters.delete(waiter);
      if (waiters.size > 0) continue;
      this.waiting.delete(id);
      this.cancel(id, 'the agent stopped waiting');
    }
  }

  /**
   * The daemon is stopping: hooks are told so (they reconnect to the next daemon and keep waiting) and their
   * approvals stay pending — a stop must neither answer nor hold them.
   */
  release(): void {
    this.released = true;
    clearTimeout(this.reclaimTimer);
    for (const waiters of this.waiting.values()) for (const waiter of waiters) waiter.reject(stopping());
    this.waiting.clear();
  }

  private async screenApproval(session: Session, keys: ScreenKeys): Promise<void> {
    const screen = await this.options.screenText(session.id).catch(() => undefined);
    // The daemon may have stopped (and closed its store), or the state moved on, while the screen was read.
    if (this.released || this.states.get(session.id) !== 'waiting') return;
    if (keys.prompts && !keys.prompts.some((prompt) => prompt.test(screen ?? ''))) return;
    try {
      if (this.pendingOf(session.id).length > 0) return;
      const { stored, event } = this.options.store.requestApproval({ sessionId: session.id, tool: 'dialog', detail: dialogText(screen ?? ''), options: SCREEN_OPTIONS, via: 'screen' });
      this.options.publish(event);
      this.options.logger.info('approval from the agent\'s dialog', { approval: stored.approval.id, session: session.id });
    } catch (error) {
      this.options.logger.warn('could not record the agent\'s dialog as an approval', { session: session.id, error });
    }
  }

  private pendingOf(sessionId: number): StoredApproval[] {
    return this.options.store.listApprovals({ sessionId, pending: true });
  }

  private stored(id: string): StoredApproval {
    const stored = this.options.store.getApproval(Number(id));
    if (!stored) throw new ProtocolError('not_found', `no approval ${id}; \`vibe approvals --all\` lists them`, { id });
    return stored;
  }

  /** Records the answer, logs and publishes it, and hands it to every hook request waiting on it. */
  private settle(id: string, answer: Parameters<Store['answerApproval']>[1]): Approval {
    const { stored, event } = this.options.store.answerApproval(Number(id), answer);
    this.options.publish(event);
    const { approval } = stored;
    this.options.logger.info('approval answered', { approval: id, state: approval.state, by: approval.answeredBy });
    for (const waiter of this.waiting.get(id) ?? []) waiter.resolve(approval);
    this.waiting.delete(id);
    return approval;
  }

  /** Cancels a pending approval; one settled meanwhile (a race with an answer) is left as it is. */
  private cancel(id: string, reason: string, answeredBy: string | null = null): void {
    try {
      this.settle(id, { state: 'cancelled', answeredBy, reason });
    } catch (error) {
      if (!(error instanceof ProtocolError && (error.code === 'conflict' || error.code === 'not_found'))) throw error;
    }
  }
}

function stopping(): ProtocolError {
  return new ProtocolError('shutting_down', 'the daemon is stopping; ask the next one');
}
