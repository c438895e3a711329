// Pushed events: the daemon's append-only event log, replayable from a sequence number.
import { z } from 'zod';
import { InboxMessage, InboxReceipt } from './inbox.js';
import { ChatMessage } from './chat.js';
import { Viewer } from './presence.js';
import { Approval } from './approval.js';
import { Project } from './project.js';
import { Session } from './session.js';
import { Task, TaskStatus } from './task.js';

export const EVENT_NAMES = [
  'project.registered',
  'project.updated',
  'task.created',
  'task.updated',
  'task.moved',
  'task.removed',
  'session.updated',
  'task.reviewed',
  'task.merged',
  'inbox.posted',
  'inbox.read',
  'chat.posted',
  'session.viewers',
  'approval.requested',
  'approval.answered',
] as const;
export const EventName = z.enum(EVENT_NAMES);
export type EventName = z.infer<typeof EventName>;

/** The payload of each event, keyed by name. */
export const EventData = z.discriminatedUnion('name', [
  z.object({ name: z.literal('project.registered'), data: z.object({ project: Project }) }),
  z.object({ name: z.literal('task.created'), data: z.object({ task: Task }) }),
  z.object({
    name: z.literal('task.updated'),
    data: z.object({ task: Task, changed: z.array(z.enum(['title', 'description', 'agent'])) }),
  }),
  z.object({ name: z.literal('task.moved'), data: z.object({ task: Task, from: TaskStatus }) }),
  z.object({ name: z.literal('task.removed'), data: z.object({ task: Task }) }),
  /** @since 1.1 */
  z.object({ name: z.literal('project.updated'), data: z.object({ project: Project }) }),
  /** @since 1.1 A session started, changed state or ended. */
  z.object({ name: z.literal('session.updated'), data: z.object({ session: Session }) }),
  /** @since 1.2 Review feedback sent to an attempt's agent. */
  z.object({ name: z.literal('task.reviewed'), data: z.object({ task: Task, attempt: z.number().int().positive(), comment: z.string() }) }),
  /** @since 1.2 An attempt landed on the base branch. */
  z.object({
    name: z.literal('task.merged'),
    data: z.object({ task: Task, attempt: z.number().int().positive(), branch: z.string(), commit: z.string(), mode: z.enum(['squash', 'rebase', 'merge']) }),
  }),
  /** @since 1.5 A message reached a task's inbox. */
  z.object({ name: z.literal('inbox.posted'), data: z.object({ message: InboxMessage }) }),
  /** @since 1.5 The receiving task read these messages of its inbox: the delivery receipt. */
  z.object({ name: z.literal('inbox.read'), data: InboxReceipt }),
  /** @since 1.5 A chat message was posted (live only: chat.list has the history). */
  z.object({ name: z.literal('chat.posted'), data: z.object({ message: ChatMessage }) }),
  /** @since 1.5 Who watches a session changed: someone attached, detached, left, or began or stopped typing (live only). */
  z.object({ name: z.literal('session.viewers'), data: z.object({ session: z.number().int().positive(), viewers: z.array(Viewer) }) }),
  /** @since 1.5 An agent asked permission and waits for the answer. */
  z.object({ name: z.literal('approval.requested'), data: z.object({ approval: Approval }) }),
  /** @since 1.5 An approval was answered (allowed, denied) or cancelled; `answeredBy` says by whom. */
  z.object({ name: z.literal('approval.answered'), data: z.object({ approval: Approval }) }),
]);
export type EventData = z.infer<typeof EventData>;

/**
 * @since 1.5 Events that are pushed live but never written to the log, with the protocol version that brought
 * each: a subscription taking all events receives one only when its client's hello spoke that version or a
 * newer one, so an older client never meets an event it cannot read. They carry the seq of the newest logged
 * event, so a client resuming from the highest seq it saw misses nothing of the log; they are never replayed
 * — a client catches up with `chat.list` and `session.viewers`.
 */
export const LIVE_EVENTS = { 'chat.posted': '1.5', 'session.viewers': '1.5' } as const satisfies Partial<Record<EventName, string>>;

/** One entry of the event log as stored and as pushed (minus the subscription id). */
export type VibeEvent = EventData & { seq: number; at: string };

/** Most logged events one subscribe replays, so a far-behind client is never dropped for a huge backlog. */
export const REPLAY_LIMIT = 5000;

/** @since 1.2 A task's history: every logged event about it, oldest first. */
export const TaskLogResult = z.object({
  entries: z.array(z.intersection(z.object({ seq: z.number().int().positive(), at: z.string() }), EventData)),
});

export const EventsSubscribeParams = z.object({
  names: z.array(EventName).optional().describe('Only these events; default all'),
  since: z.number().int().nonnegative().optional().describe('Replay logged events with seq greater than this first'),
});
export const EventsSubscribeResult = z.object({
  subscription: z.number().int().positive(),
  lastSeq: z.number().int().nonnegative().describe('The newest seq at the moment of subscribing'),
  complete: z
    .boolean()
    .describe(`False when the replay stopped at ${REPLAY_LIMIT} events: unsubscribe, then subscribe again with since = the last seq received`),
});

export const EventsUnsubscribeParams = z.object({ subscription: z.number().int().positive() });
export const EventsUnsubscribeResult = z.object({});

