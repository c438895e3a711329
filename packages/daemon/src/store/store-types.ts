// The shapes callers hand the Store and get back: options, inputs, results and the events writes return.
import type { EventName, Project, ProjectSettings, Task, TaskStatus, VibeEvent } from '@vibe/protocol';

export interface StoreOptions {
  /** The database file; its directory must already exist. */
  path: string;
  /** How long a write waits for another process's lock before failing with `busy`. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** The clock for timestamps; tests inject one. */
  now?: () => Date;
}

/**
 * The wire shapes with the fields protocol 1.1 added always present: they are optional on the wire only
 * for 1.0 peers, and the store always fills them, so the daemon's own code never needs a fallback.
 */
export type FullProject = Project & { settings: ProjectSettings };
export type FullTask = Task & { attempts: number; session: NonNullable<Task['session']> | null };

/** The logged event of one name, with its seq and timestamp. */
export type EventOf<N extends EventName> = Extract<VibeEvent, { name: N }>;

export interface CreateTaskInput {
  title: string;
  description?: string;
  agent?: string;
}

export interface UpdateTaskInput {
  title?: string;
  description?: string;
  /** null resets to the default agent; undefined leaves it alone. */
  agent?: string | null;
}

/** How many tasks have each status. */
export type StatusCounts = Record<TaskStatus, number>;

export interface TaskCountsResult {
  total: StatusCounts;
  /** Every registered project, by id, with every status (zeros included). */
  byProject: Map<number, StatusCounts>;
}

export type { CreateSessionInput } from './sessions.js';

/** The events a session write can log, in the order they were appended. */
export type SessionEvent = EventOf<'session.updated'> | EventOf<'task.moved'>;
