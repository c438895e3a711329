// The append-only event log: every state change writes one row here inside its own transaction.
import type { EventData, EventName, VibeEvent } from '@vibe/protocol';
import type { Db } from './database.js';
import { upgradeEventData } from './event-upgrade.js';

interface EventRow {
  seq: number;
  at: string;
  name: string;
  data: string;
}

/** Where an event belongs, kept in columns so the log can later be searched without parsing JSON. */
export interface EventScope {
  projectId: number;
  taskNumber?: number;
}

export interface EventsSinceOptions {
  /** Only these event names; default all. */
  names?: readonly EventName[];
  /** At most this many events; default all. */
  limit?: number;
}

export class EventLog {
  private readonly insert;
  private readonly since;
  private readonly last;
  private readonly ofTask;

  constructor(db: Db) {
    this.insert = db.prepare<[string, string, number, number | null, string]>(
      'INSERT INTO events (at, name, project_id, task_number, data) VALUES (?, ?, ?, ?, ?)',
    );
    // One statement for every filter: the name list travels as JSON so the SQL text never changes.
    this.since = db.prepare<{ seq: number; names: string | null; limit: number }, EventRow>(
      `SELECT seq, at, name, data FROM events
       WHERE seq > :seq AND (:names IS NULL OR name IN (SELECT value FROM json_each(:names)))
       ORDER BY seq LIMIT :limit`,
    );
    this.last = db.prepare<[], { seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM events');
    this.ofTask = db.prepare<[number, number], EventRow>('SELECT seq, at, name, data FROM events WHERE project_id = ? AND task_number = ? ORDER BY seq');
  }

  /** Appends one event; call inside the transaction that made the change it describes. */
  append<E extends EventData>(event: E, at: string, scope: EventScope): E & { seq: number; at: string } {
    const info = this.insert.run(at, event.name, scope.projectId, scope.taskNumber ?? null, JSON.stringify(event.data));
    return { ...event, seq: Number(info.lastInsertRowid), at };
  }

  /** Events with seq greater than `seq`, oldest first. */
  eventsSince(seq: number, options: EventsSinceOptions = {}): VibeEvent[] {
    const names = options.names === undefined ? null : JSON.stringify(options.names);
    const limit = options.limit ?? -1; // SQLite reads a negative LIMIT as "no limit"
    return this.since.all({ seq, names, limit }).map(toEvent);
  }

  /** Every event scoped to one task (task numbers are never reused, so this is one task's whole history). */
  eventsOfTask(projectId: number, taskNumber: number): VibeEvent[] {
    return this.ofTask.all(projectId, taskNumber).map(toEvent);
  }

  lastSeq(): number {
    return this.last.get()?.seq ?? 0;
  }
}

function toEvent(row: EventRow): VibeEvent {
  return { seq: row.seq, at: row.at, name: row.name, data: upgradeEventData(JSON.parse(row.data)) } as VibeEvent;
}
