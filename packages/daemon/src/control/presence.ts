// Who watches each session: every connection attached to it, who that connection is, and whether it typed in
// the last few seconds. Reports a session's whole list whenever it changes — an attach, a detach, a connection
// gone, typing begun or stopped — and never once per keystroke.
import { TYPING_MS, type Viewer } from '@vibe/protocol';
import type { PeerIdentity } from './transport.js';

interface Watch {
  viewer: Viewer;
  lastInputAt: number;
  /** Runs while `typing`: clears it once no key came for TYPING_MS. */
  timer: NodeJS.Timeout | undefined;
}

export interface PresenceOptions {
  /** A session's viewers changed; `viewers` is the whole new list. */
  changed(session: number, viewers: Viewer[]): void;
  /** How long after its last key a viewer still counts as typing (tests shorten it). */
  typingMs?: number;
  now?: () => number;
}

export class Presence {
  /** By session, then by connection (any object that stands for one), in the order they attached. */
  private readonly sessions = new Map<number, Map<object, Watch>>();
  private nextId = 1;
  private readonly typingMs: number;
  private readonly now: () => number;

  constructor(private readonly options: PresenceOptions) {
    this.typingMs = options.typingMs ?? TYPING_MS;
    this.now = options.now ?? Date.now;
  }

  /** A connection attached (or attached again, perhaps now read-only); returns its viewer id for the session. */
  attached(connection: object, identity: PeerIdentity, session: number, readOnly: boolean): string {
    let watches = this.sessions.get(session);
    if (!watches) this.sessions.set(session, (watches = new Map()));
    const known = watches.get(connection);
    if (known) {
      if (known.viewer.readOnly === readOnly) return known.viewer.id;
      known.viewer = { ...known.viewer, readOnly };
    } else {
      const viewer: Viewer = { id: `v${this.nextId++}`, label: identity.label, kind: identity.kind, device: identity.device, readOnly, typing: false };
      watches.set(connection, { viewer, lastInputAt: 0, timer: undefined });
    }
    this.report(session);
    return watches.get(connection)!.viewer.id;
  }

  detached(connection: object, session: number): void {
    const watch = this.sessions.get(session)?.get(connection);
    if (!watch) return;
    clearTimeout(watch.timer);
    this.sessions.get(session)!.delete(connection);
    this.report(session);
  }

  /** The connection closed: it watches nothing any more. */
  dropConnection(connection: object): void {
    for (const [session, watches] of this.sessions) if (watches.has(connection)) this.detached(connection, session);
  }

  /** The session ended: nobody watches it any more, whoever still shows its last screen. */
  sessionEnded(session: number): void {
    const watches = this.sessions.get(session);
    if (!watches) return;
    for (const watch of watches.values()) clearTimeout(watch.timer);
    watches.clear();
    this.report(session);
  }

  /** The connection typed into the session (its input was accepted). */
  typed(connection: object, session: number): void {
    const watch = this.sessions.get(session)?.get(connection);
    if (!watch) return;
    watch.lastInputAt = this.now();
    if (watch.viewer.typing) return;
    watch.viewer = { ...watch.viewer, typing: true };
    this.schedule(watch, session, this.typingMs);
    this.report(session);
  }

  viewers(session: number): Viewer[] {
    return [...(this.sessions.get(session)?.values() ?? [])].map((watch) => watch.viewer);
  }

  dispose(): void {
    for (const watches of this.sessions.values()) for (const watch of watches.values()) clearTimeout(watch.timer);
    this.sessions.clear();
  }

  /** One timer per typing viewer, moved on only when it fires: keys in between just update lastInputAt. */
  private schedule(watch: Watch, session: number, delayMs: number): void {
    watch.timer = setTimeout(() => {
      const quietMs = this.now() - watch.lastInputAt;
      if (quietMs < this.typingMs) return this.schedule(watch, session, this.typingMs - quietMs);
      watch.timer = undefined;
      watch.viewer = { ...watch.viewer, typing: false };
      this.report(session);
    }, delayMs);
    watch.timer.unref();
  }

  private report(session: number): void {
    const viewers = this.viewers(session);
    if (viewers.length === 0) this.sessions.delete(session);
    this.options.changed(session, viewers);
  }
}
