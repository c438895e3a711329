// Where the offline queue keeps its actions: one entry per daemon and link, shared by every tab open on that
// link. A tab never writes its own list over the others': it reads the entry again and merges by action id
// first, so what another tab queued, applied or dismissed meanwhile stays so.

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
  /** Why it was not applied; while pending, why the last try did not go through. */
  reason?: string;
  settledAt?: number;
  /** How many times it was sent; more than one means an earlier try may have been applied unanswered. */
  tries?: number;
  /** Tries the daemon answered with `busy` or `internal`: bounded, so one action cannot hold the queue forever. */
  failures?: number;
  /** Not sent again before this time (the daemon was busy or failed). */
  retryAt?: number;
}

/** The part of the Storage API the queue uses (localStorage in a page; a map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface StoredQueue {
  actions: QueuedAction[];
  /** Ids dismissed or pruned, with when: another tab still holding one must not write it back. */
  gone: Record<string, number>;
  /** The label the daemon names this link by, once learned from an answer (who answered, who posted). */
  self?: string;
}

/** How long a forgotten id is remembered: longer than any tab keeps a settled action listed. */
const GONE_KEPT_MS = 10 * 60_000;

/**
 * The storage key for one link of one daemon. The link id is what the link shows the relay in the clear, so
 * the key gives nothing away; the secret never goes near the storage. An action queued through one link is
 * applied only through that link: a view-only tab never sees (and fails at) a control tab's actions, and a
 * chat message is never posted under another link's label.
 */
export function queueKey(daemonId: string, linkId: string): string {
  return `vibe-queue:${daemonId}:${linkId}`;
}

export function readQueue(storage: KeyValueStore | undefined, key: string): StoredQueue {
  try {
    const stored = JSON.parse(storage?.getItem(key) ?? 'null') as Partial<StoredQueue> | null;
    if (!stored || typeof stored !== 'object' || !Array.isArray(stored.actions)) return { actions: [], gone: {} };
    return { actions: stored.actions, gone: stored.gone && typeof stored.gone === 'object' ? stored.gone : {}, ...(typeof stored.self === 'string' && { self: stored.self }) };
  } catch {
    return { actions: [], gone: {} };
  }
}

/** Writes `queue`; false when the storage refuses (full, a private window): the queue then lives in the page. */
export function writeQueue(storage: KeyValueStore | undefined, key: string, queue: StoredQueue): boolean {
  try {
    storage?.setItem(key, JSON.stringify(queue));
    return true;
  } catch {
    return false;
  }
}

/**
 * This tab's view merged with what the storage holds now. Per id: a settled action wins over one still
 * waiting (whichever tab settled it), else the one tried more (so the bound on failures holds across tabs),
 * else this tab's. Ids forgotten by any tab stay forgotten. Order: when they were queued.
 */
export function mergeQueues(mine: StoredQueue, theirs: StoredQueue, now: number): StoredQueue {
  const gone: Record<string, number> = {};
  for (const [id, at] of [...Object.entries(theirs.gone), ...Object.entries(mine.gone)]) if (now - at < GONE_KEPT_MS) gone[id] = Math.max(gone[id] ?? 0, at);
  const byId = new Map<string, QueuedAction>();
  for (const action of mine.actions) byId.set(action.id, action);
  for (const action of theirs.actions) {
    const known = byId.get(action.id);
    byId.set(action.id, known ? pick(known, action) : action);
  }
  const actions = [...byId.values()].filter((action) => !(action.id in gone)).sort((a, b) => a.queuedAt - b.queuedAt);
  const self = mine.self ?? theirs.self;
  return { actions, gone, ...(self !== undefined && { self }) };
}

function pick(mine: QueuedAction, theirs: QueuedAction): QueuedAction {
  if (settled(mine)) return mine;
  if (settled(theirs)) return theirs;
  // In place: the queue's apply holds this very object while its request is out.
  if ((theirs.tries ?? 0) > (mine.tries ?? 0)) mine.tries = theirs.tries;
  if ((theirs.failures ?? 0) > (mine.failures ?? 0)) mine.failures = theirs.failures;
  return mine;
}

export function settled(action: QueuedAction): boolean {
  return action.state === 'applied' || action.state === 'rejected';
}
