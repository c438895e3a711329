// Fans logged events out to subscribed connections; a subscriber can first replay what it missed.
import type { EventName, VibeEvent } from '@vibe/protocol';

export interface EventSink {
  sendEvent(subscription: number, event: VibeEvent): void;
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

function deliver(id: number, subscription: Subscription, event: VibeEvent): void {
  if (!subscription.names || subscription.names.has(event.name)) subscription.sink.sendEvent(id, event);
}
