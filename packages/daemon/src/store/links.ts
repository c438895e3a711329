// The links and relay_settings tables: link rows (never their secrets) and the one row of relay settings.
import { ProtocolError } from '@vibe/protocol';
import type { Db } from './database.js';

export type LinkKind = 'control' | 'view';

/** A link as stored; the relay room adds its live connection count for the wire. */
export interface LinkRecord {
  id: string;
  label: string;
  kind: LinkKind;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

export interface CreateLinkInput {
  id: string;
  label: string;
  kind: LinkKind;
  createdAt: string;
}

/** What `vibe connect` asked for: a remote relay's URL, or (url null) the embedded relay's bind address. */
export interface RelaySettingsRecord {
  enabled: boolean;
  url: string | null;
  embeddedHost: string | null;
  embeddedPort: number | null;
}

interface LinkRow {
  id: string;
  label: string;
  kind: LinkKind;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

interface SettingsRow {
  enabled: number;
  url: string | null;
  embedded_host: string | null;
  embedded_port: number | null;
}

const COLUMNS = 'id, label, kind, created_at, last_seen_at, revoked_at';

function toLink(row: LinkRow): LinkRecord {
  return { id: row.id, label: row.label, kind: row.kind, createdAt: row.created_at, lastSeenAt: row.last_seen_at, revokedAt: row.revoked_at };
}

export class LinkTable {
  private readonly all;
  private readonly byId;
  private readonly insertRow;
  private readonly revoke;
  private readonly touch;
  private readonly settings;
  private readonly writeSettings;

  constructor(db: Db) {
    this.all = db.prepare<[], LinkRow>(`SELECT ${COLUMNS} FROM links ORDER BY created_at DESC, id`);
    this.byId = db.prepare<[string], LinkRow>(`SELECT ${COLUMNS} FROM links WHERE id = ?`);
    this.insertRow = db.prepare<[string, string, string, string], LinkRow>(
      `INSERT INTO links (id, label, kind, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
    );
    this.revoke = db.prepare<[string, string], LinkRow>(`UPDATE links SET revoked_at = ? WHERE id = ? RETURNING ${COLUMNS}`);
    this.touch = db.prepare<[string, string]>('UPDATE links SET last_seen_at = ? WHERE id = ?');
    this.settings = db.prepare<[], SettingsRow>('SELECT enabled, url, embedded_host, embedded_port FROM relay_settings WHERE id = 1');
    this.writeSettings = db.prepare<[number, string | null, string | null, number | null]>(
      'UPDATE relay_settings SET enabled = ?, url = ?, embedded_host = ?, embedded_port = ? WHERE id = 1',
    );
  }

  list(): LinkRecord[] {
    return this.all.all().map(toLink);
  }

  get(id: string): LinkRecord | undefined {
    const row = this.byId.get(id);
    return row ? toLink(row) : undefined;
  }

  /** `conflict` for an id already taken (ids are random: a clash means a bug or a replayed request). */
  insert(input: CreateLinkInput): LinkRecord {
    const row = this.insertRow.get(input.id, input.label, input.kind, input.createdAt);
    if (!row) throw new ProtocolError('conflict', `a link with id ${input.id} already exists`);
    return toLink(row);
  }

  /** `not_found` for an unknown id, `conflict` for one already revoked; inside a write transaction. */
  revokeAt(id: string, at: string): LinkRecord {
    const current = this.get(id);
    if (!current) throw new ProtocolError('not_found', `no link ${id}; \`vibe links ls\` lists them`, { id });
    if (current.revokedAt) throw new ProtocolError('conflict', `link ${id} was already revoked at ${current.revokedAt}`, { id, revokedAt: current.revokedAt });
    return toLink(this.revoke.get(at, id)!);
  }

  /** Records that a client used the link; an unknown id is ignored (it may have just been removed). */
  touchAt(id: string, at: string): void {
    this.touch.run(at, id);
  }

  relaySettings(): RelaySettingsRecord {
    const row = this.settings.get();
    if (!row) throw new Error('the relay_settings row is missing (migration 4 inserts it and a trigger keeps it)');
    return { enabled: row.enabled === 1, url: row.url, embeddedHost: row.embedded_host, embeddedPort: row.embedded_port };
  }

  /** Writes the fields given over the current ones; returns the result. Inside a write transaction. */
  setRelaySettings(patch: Partial<RelaySettingsRecord>): RelaySettingsRecord {
    const next = { ...this.relaySettings(), ...definedOnly(patch) };
    this.writeSettings.run(next.enabled ? 1 : 0, next.url, next.embeddedHost, next.embeddedPort);
    return next;
  }
}

/** A patch's fields that are present: `{ url: undefined }` leaves the url alone, `{ url: null }` clears it. */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
