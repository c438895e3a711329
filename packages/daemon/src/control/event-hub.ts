// Fans logged events out to subscribed connections; a subscriber can first replay what it missed.
import { LIVE_EVENTS, parseVersion, type EventData, type EventName, type VibeEvent } from '@vibe/protocol';

export interface EventSink {
  sendEvent(subscription: number, event: VibeEvent): void;
  /** The protocol minor version the client's hello spoke (its major is ours, or it would not be served). */
  readonly protocolMinor: number;
}

/**
 * An event that is pushed but not logged (LIVE_EVENTS), stamped with the newest logged seq: a client that
 * resumes from the highest seq it saw then misses nothing of the log. Chat needs a project and presence a
 * session, so the log is never empty when one is sent, and the seq is positive as the envelope requires.
 */
export function liveEvent(data: EventData, lastSeq: number): VibeEvent {
  return { ...data, seq: lastSeq, at: new Date().toISOString() };
}

interface Subscription {
  sink: EventSink;
  names: ReadonlySet<EventName> | undefined;
}

export class EventHub {
  private readonly subscriptions = new Map<number, Subscription>();
  private nextId = 1;

  /**
   * Registers a subscription after delivering `backlog` to it. Store writes and this call run on the same
   * thread, so no event can fall between the replay and the live stream.
   */
  subscribe(sink: EventSink, names: readonly EventName[] | undefined, backlog: readonly VibeEvent[]): number {
    const id = this.nextId++;
    const subscription: Subscription = { sink, names: names ? new Set(names) : undefined };
    for (const event of backlog) deliver(id, subscription, event);
    this.subscriptions.set(id, subscription);
    return id;
  }

  /** Delivers `backlog` under a fresh subscription id that never goes live (a replay cut at its limit). */
  replayOnly(sink: EventSink, backlog: readonly VibeEvent[]): number {
    const id = this.nextId++;
    for (const event of backlog) sink.sendEvent(id, event);
    return id;
  }

  unsubscribe(id: number, sink: EventSink): boolean {
    const subscription = this.subscriptions.get(id);
    if (!subscription || subscription.sink !== sink) return false;
    return this.subscriptions.delete(id);
  }

  /** Drops every subscription of a connection that went away. */
  dropSink(sink: EventSink): void {
    for (const [id, subscription] of this.subscriptions) if (subscription.sink === sink) this.subscriptions.delete(id);
  }

  publish(event: VibeEvent | undefined): void {
    if (!event) return;
    for (const [id, subscription] of this.subscriptions) deliver(id, subscription, event);
  }
}

/**
 * A subscription naming events gets those; one taking all gets the live-only events (chat, presence) only when
 * its client speaks the version that brought them, so an older client never meets an event it cannot read.
 */
function deliver(id: number, subscription: Subscription, event: VibeEvent): void {
  const wanted = subscription.names ? subscription.names.has(event.name) : knownTo(subscription.sink, event.name);
  if (wanted) subscription.sink.sendEvent(id, event);
}

function knownTo(sink: EventSink, name: EventName): boolean {
  const since = (LIVE_EVENTS as Partial<Record<EventName, string>>)[name];
  return since === undefined || sink.protocolMinor >= (parseVersion(since)?.minor ?? 0);
}
