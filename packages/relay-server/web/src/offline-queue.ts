// Actions taken while the daemon is unreachable — create a task, answer an approval, post to the chat (never
// terminal input) — wait here, shown as pending, and are applied once when the connection is back: in order,
// each exactly once (a create and a chat message carry a client id the daemon deduplicates; an approval can
// be answered only once anyway), or rejected with the daemon's reason when they no longer apply. The queue
// lives in the browser's storage, so a reload or a phone killing the tab loses nothing.
import type { Approval, ControlClient, MethodName, MethodParams } from '@vibe/protocol';
import { mergeQueues, readQueue, settled, writeQueue, type KeyValueStore, type QueuedAction, type QueuedMethod, type StoredQueue } from './queue-storage.js';

export type { KeyValueStore, QueuedAction, QueuedMethod } from './queue-storage.js';

/** How long applied and rejected actions stay listed (so the user sees what became of them). */
const SETTLED_SHOWN_MS = 60_000;

/**
 * Tries the daemon may answer with a passing failure before the action is rejected with its reason: `busy`
 * (a link's chat is limited to 20 at once, then one every 2 s) is waited out a while; `internal` a few times.
 */
const RETRIES: Record<'busy' | 'internal', { tries: number; delayMs: (failures: number) => number }> = {
  busy: { tries: 15, delayMs: () => 2_000 },
  internal: { tries: 5, delayMs: (failures) => 1_000 * 2 ** (failures - 1) },
};

export interface OfflineQueueOptions {
  now?: () => number;
  /** Runs an apply with every other tab's apply on the same queue held off (navigator.locks in a page). */
  exclusive?: (run: () => Promise<void>) => Promise<void>;
}

type Outcome = Pick<QueuedAction, 'state' | 'reason'> | 'lost' | { retry: 'busy' | 'internal'; reason: string };

export class OfflineQueue {
  private queue: StoredQueue;
  private readonly listeners = new Set<() => void>();
  private applying = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly storage: KeyValueStore | undefined,
    private readonly key: string,
    private readonly options: OfflineQueueOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const stored = readQueue(storage, key);
    // An action caught mid-apply by a reload is pending again: the client id makes the retry safe.
    this.queue = { ...stored, actions: stored.actions.map((action) => (action.state === 'applying' ? { ...action, state: 'pending' } : action)) };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get list(): readonly QueuedAction[] {
    return this.queue.actions;
  }

  get pending(): QueuedAction[] {
    return this.queue.actions.filter((action) => !settled(action));
  }

  /** Queues an action; `id` becomes its client id. */
  add(method: QueuedMethod, params: Record<string, unknown>, label: string, id = randomId()): QueuedAction {
    const action: QueuedAction = { id, method, params, label, queuedAt: this.now(), state: 'pending' };
    this.queue.actions.push(action);
    this.changed();
    return action;
  }

  /** Takes in what another tab on the same link wrote (the page's `storage` event); writes nothing back. */
  refresh(): void {
    this.changed(false);
  }

  /**
   * Applies every pending action in order over `client`; stops (leaving the rest pending) if the connection
   * goes. An action the daemon answers `busy` or `internal` waits and is tried again (later ones of its kind
   * wait behind it, to keep their order; others go on), until its tries run out and it is rejected.
   */
  async apply(client: ControlClient, isLive: () => boolean): Promise<void> {
    if (this.applying) return;
    this.applying = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    try {
      const run = (): Promise<void> => this.applyAll(client, isLive);
      await (this.options.exclusive ? this.options.exclusive(run) : run());
    } finally {
      this.applying = false;
      this.prune();
    }
  }

  private async applyAll(client: ControlClient, isLive: () => boolean): Promise<void> {
    this.changed();
    const held = new Set<QueuedMethod>();
    let wakeAt: number | undefined;
    for (const id of this.pending.map((action) => action.id)) {
      if (!isLive()) return;
      // Another tab on this link may have applied or dismissed it while this one waited on an earlier action.
      this.changed();
      const action = this.queue.actions.find((known) => known.id === id);
      if (!action || settled(action) || held.has(action.method)) continue;
      if (action.retryAt !== undefined && action.retryAt > this.now()) {
        held.add(action.method);
        wakeAt = Math.min(wakeAt ?? Infinity, action.retryAt);
        continue;
      }
      action.state = 'applying';
      action.tries = (action.tries ?? 0) + 1;
      this.changed();
      const outcome = await this.applyOne(client, action);
      if (outcome === 'lost') {
        action.state = 'pending';
        this.changed();
        return;
      }
      // Applied or dismissed by another tab on this link meanwhile: its word stands.
      if (!this.queue.actions.includes(action)) continue;
      if ('retry' in outcome) {
        const failures = (action.failures ?? 0) + 1;
        const rule = RETRIES[outcome.retry];
        if (failures >= rule.tries) Object.assign(action, { state: 'rejected', reason: `${outcome.reason} (tried ${failures} times)`, failures, settledAt: this.now() });
        else {
          Object.assign(action, { state: 'pending', reason: outcome.reason, failures, retryAt: this.now() + rule.delayMs(failures) });
          held.add(action.method);
          wakeAt = Math.min(wakeAt ?? Infinity, action.retryAt!);
        }
      } else Object.assign(action, { reason: undefined }, outcome, { settledAt: this.now() });
      this.changed();
    }
    if (wakeAt !== undefined && isLive()) this.retryTimer = setTimeout(() => void this.apply(client, isLive), Math.max(0, wakeAt - this.now()));
  }

  /** One action against the daemon: applied, rejected with a reason, to retry later, or 'lost' (the connection went). */
  private async applyOne(client: ControlClient, action: QueuedAction): Promise<Outcome> {
    const params = action.method === 'approval.answer' ? action.params : { ...action.params, clientId: action.id };
    try {
      const result = await client.request(action.method as MethodName, params as MethodParams<MethodName>);
      this.learnSelf(result);
      return { state: 'applied' };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      // The daemon's refusals carry a string code; anything else (a close code, none) means the request never
      // got an answer — the connection dropped under it — and it is tried again on the next connection.
      if (typeof code !== 'string' || code === 'shutting_down') return 'lost';
      if (code === 'busy' || code === 'internal') return { retry: code, reason: code === 'busy' ? `the daemon is busy, trying again: ${message}` : message };
      if (action.method === 'approval.answer' && code === 'conflict' && (await this.answeredByThisLink(client, action))) return { state: 'applied' };
      return { state: 'rejected', reason: rejectionReason(action, code, message) };
    }
  }

  /**
   * Whether an approval found already answered was answered by this very action on an earlier try whose reply
   * was lost: it shows this decision, given by this link. While the page has not yet learned the label the
   * daemon names this link by, an answer the same in decision and reason to one this action sent before counts.
   */
  private async answeredByThisLink(client: ControlClient, action: QueuedAction): Promise<boolean> {
    const { id, decision, reason } = action.params as { id: string; decision: 'allow' | 'deny'; reason?: string };
    let approval: Approval | undefined;
    try {
      approval = (await client.request('approval.list', { allProjects: true })).approvals.find((known) => known.id === id);
    } catch {
      return false;
    }
    if (approval?.state !== (decision === 'allow' ? 'allowed' : 'denied')) return false;
    if (this.queue.self !== undefined) return approval.answeredBy === this.queue.self;
    return (action.tries ?? 0) > 1 && (approval.reason ?? undefined) === reason;
  }

  /** The label the daemon names this link by, as its welcome says (@since 1.5). */
  knowSelf(label: string): void {
    if (label !== this.queue.self) this.queue.self = label;
  }

  /** The label the daemon names this link by: in who answered an approval, who posted a chat message. */
  private learnSelf(result: unknown): void {
    const answer = result as { approval?: { answeredBy?: unknown }; message?: { from?: { label?: unknown } } } | undefined;
    const self = answer?.approval?.answeredBy ?? answer?.message?.from?.label;
    if (typeof self === 'string' && self !== this.queue.self) this.queue.self = self;
  }

  /** Forgets a settled action (the user dismissed it). */
  dismiss(id: string): void {
    this.forget((action) => action.id === id && settled(action));
  }

  private prune(): void {
    const now = this.now();
    this.forget((action) => action.settledAt !== undefined && now - action.settledAt >= SETTLED_SHOWN_MS);
  }

  private forget(which: (action: QueuedAction) => boolean): void {
    const gone = this.queue.actions.filter(which);
    if (gone.length === 0) return;
    for (const action of gone) this.queue.gone[action.id] = this.now();
    this.queue.actions = this.queue.actions.filter((action) => !which(action));
    this.changed();
  }

  /** Merges with what the other tabs on this link wrote, writes the result back, and tells the listeners. */
  private changed(write = true): void {
    this.queue = mergeQueues(this.queue, readQueue(this.storage, this.key), this.now());
    if (write) writeQueue(this.storage, this.key, this.queue);
    for (const listener of this.listeners) listener();
  }
}

/** The daemon's refusal, said for what the user did. */
export function rejectionReason(action: QueuedAction, code: string, message: string): string {
  if (action.method === 'approval.answer' && code === 'conflict') return `already answered elsewhere (${message})`;
  if (code === 'not_found') return `no longer applies: ${message}`;
  if (code === 'forbidden') return `this link may not do that: ${message}`;
  return message;
}

export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
