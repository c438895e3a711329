// Actions taken while the daemon is unreachable — create a task, answer an approval, post to the chat (never
// terminal input) — wait here, shown as pending, and are applied once when the connection is back: in order,
// each exactly once (a create and a chat message carry a client id the daemon deduplicates; an approval can
// be answered only once anyway), or rejected with the daemon's reason when they no longer apply. The queue
// lives in the browser's storage, so a reload or a phone killing the tab loses nothing.
import type { ControlClient, MethodName, MethodParams } from '@vibe/protocol';

export type QueuedMethod = 'task.create' | 'chat.post' | 'approval.answer';

export interface QueuedAction {
  /** Also the client id the daemon deduplicates by, where the method takes one. */
  id: string;
  method: QueuedMethod;
  params: Record<string, unknown>;
  /** What the user did, in words: "New task “Fix login”", "Allow: rm -rf build". */
  label: string;
  queuedAt: number;
  state: 'pending' | 'applying' | 'applied' | 'rejected';
  reason?: string;
  settledAt?: number;
}

/** The part of the Storage API the queue uses (localStorage in a page; a map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** How long applied and rejected actions stay listed (so the user sees what became of them). */
const SETTLED_SHOWN_MS = 60_000;

export class OfflineQueue {
  private actions: QueuedAction[];
  private readonly listeners = new Set<() => void>();
  private applying = false;

  constructor(
    private readonly storage: KeyValueStore | undefined,
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {
    this.actions = this.load();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get list(): readonly QueuedAction[] {
    return this.actions;
  }

  get pending(): QueuedAction[] {
    return this.actions.filter((action) => action.state === 'pending' || action.state === 'applying');
  }

  /** Queues an action; `id` becomes its client id. */
  add(method: QueuedMethod, params: Record<string, unknown>, label: string, id = randomId()): QueuedAction {
    const action: QueuedAction = { id, method, params, label, queuedAt: this.now(), state: 'pending' };
    this.actions.push(action);
    this.changed();
    return action;
  }

  /** Applies every pending action in order over `client`; stops (leaving the rest pending) if the connection goes. */
  async apply(client: ControlClient, isLive: () => boolean): Promise<void> {
    if (this.applying) return;
    this.applying = true;
    try {
      for (const action of this.actions) {
        if (action.state !== 'pending' && action.state !== 'applying') continue;
        if (!isLive()) return;
        action.state = 'applying';
        this.changed();
        const outcome = await applyOne(client, action);
        if (outcome === 'lost') {
          action.state = 'pending';
          this.changed();
          return;
        }
        Object.assign(action, outcome, { settledAt: this.now() });
        this.changed();
      }
    } finally {
      this.applying = false;
      this.prune();
    }
  }

  /** Forgets a settled action (the user dismissed it). */
  dismiss(id: string): void {
    this.actions = this.actions.filter((action) => action.id !== id || action.state === 'pending' || action.state === 'applying');
    this.changed();
  }

  private prune(): void {
    const now = this.now();
    const before = this.actions.length;
    this.actions = this.actions.filter((action) => action.settledAt === undefined || now - action.settledAt < SETTLED_SHOWN_MS);
    if (this.actions.length !== before) this.changed();
  }

  private load(): QueuedAction[] {
    try {
      const stored = JSON.parse(this.storage?.getItem(this.key) ?? '[]') as QueuedAction[];
      // An action caught mid-apply by a reload is pending again: the client id makes the retry safe.
      return Array.isArray(stored) ? stored.map((action) => (action.state === 'applying' ? { ...action, state: 'pending' } : action)) : [];
    } catch {
      return [];
    }
  }

  private changed(): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify(this.actions));
    } catch {
      // Storage full or refused (a private window): the queue still works for this page's life.
    }
    for (const listener of this.listeners) listener();
  }
}

/** One action against the daemon: applied, rejected with a reason, or 'lost' (the connection went; retry later). */
async function applyOne(client: ControlClient, action: QueuedAction): Promise<Pick<QueuedAction, 'state' | 'reason'> | 'lost'> {
  const params = action.method === 'approval.answer' ? action.params : { ...action.params, clientId: action.id };
  try {
    await client.request(action.method as MethodName, params as MethodParams<MethodName>);
    return { state: 'applied' };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    // The daemon's refusals carry a string code; anything else (a close code, none) means the request never
    // got an answer — the connection dropped under it — and it is tried again on the next connection.
    if (typeof code !== 'string' || code === 'shutting_down' || code === 'internal') return 'lost';
    return { state: 'rejected', reason: rejectionReason(action, code, message) };
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
