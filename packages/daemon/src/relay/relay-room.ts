// The relay room: the daemon's side of remote access. Keeps the relay connection the user asked for (an
// embedded relay process or a remote one) across daemon restarts, mints and revokes links, and turns each
// remote client into a control connection with its link's access — the same handlers as the local socket.
import { networkInterfaces } from 'node:os';
import {
  daemonIdFor,
  E2E_CLOSE,
  formatLink,
  fromBase64Url,
  normalizeRelayUrl,
  ProtocolError,
  randomBytes,
  toBase64Url,
  type AeadFactory,
  type Identity,
  type LinkLookup,
} from '@vibe/protocol';
import type { ConnectionTransport, ControlPort, LinkAccess } from '../control/index.js';
import type { Logger } from '../logger.js';
import type { SecretStore } from '../secrets/index.js';
import type { LinkKind, LinkRecord, RelaySettingsRecord, Store } from '../store/index.js';
import { EmbeddedRelay } from './embedded-relay.js';
import { RelayLink } from './relay-link.js';
import { RemoteClient } from './remote-client.js';

/** What the room needs from the store (link rows and the relay settings row; no secrets). */
export type RelayStore = Pick<Store, 'createLink' | 'listLinks' | 'getLink' | 'revokeLink' | 'touchLink' | 'relaySettings' | 'setRelaySettings'>;

export interface RelayStatusView {
  enabled: boolean;
  url: string | null;
  daemonId: string;
  connected: boolean;
  connectedAt: string | null;
  lastError: string | null;
  embedded: { host: string; port: number; pid: number | null } | null;
  secretStore: 'keychain' | 'file';
}

export type LinkView = LinkRecord & { connections: number };

export interface RelayRoomOptions {
  store: RelayStore;
  secrets: SecretStore;
  identity: Identity;
  /** Opens a control connection over a remote client's records, with its link's access. */
  openControl(transport: ConnectionTransport, access: LinkAccess): ControlPort;
  logger: Logger;
  aead: AeadFactory;
  /** The relay-server entry script for the embedded relay; undefined when this install has none. */
  relayEntry: string | undefined;
  relayLogFile: string;
  relayPidFile: string;
  /** Remote clients at once, whatever the relay allows. */
  maxClients?: number;
  heartbeatMs?: number;
}

const DEFAULT_MAX_CLIENTS = 256;
const CONNECT_WAIT_MS = 5000;

export class RelayRoom {
  private link: RelayLink | undefined;
  private embedded: EmbeddedRelay | undefined;
  private readonly clients = new Map<number, RemoteClient>();
  private startError: string | null = null;

  constructor(private readonly options: RelayRoomOptions) {}

  get daemonId(): string {
    return daemonIdFor(this.options.identity.publicKey);
  }

  /** On daemon start: reconnect to the relay the user connected before (until `vibe disconnect`). */
  async start(): Promise<void> {
    const settings = this.options.store.relaySettings();
    if (!settings.enabled) return;
    try {
      await this.bringUp(settings);
    } catch (error) {
      this.startError = (error as Error).message;
      this.options.logger.warn('relay not started', { error: this.startError });
    }
  }

  status(): RelayStatusView {
    const settings = this.options.store.relaySettings();
    const state = this.link?.state;
    return {
      enabled: settings.enabled,
      url: settings.enabled ? this.publicUrl(settings) : null,
      daemonId: this.daemonId,
      connected: state?.connected ?? false,
      connectedAt: state?.connected ? state.connectedAt : null,
      lastError: this.embedded?.lastError ?? state?.lastError ?? this.startError,
      embedded:
        settings.enabled && !settings.url
          ? { host: settings.embeddedHost ?? '127.0.0.1', port: this.embedded?.port ?? settings.embeddedPort ?? 0, pid: this.embedded?.pid ?? null }
          : null,
      secretStore: this.options.secrets.kind,
    };
  }

  /**
   * Connects, disconnects and new links run one at a time: two `vibe connect`s at once would otherwise both
   * tear down and bring up, and the second would mint a link with a relay address the first had not yet learnt.
   */
  private serial: Promise<unknown> = Promise.resolve();

  connect(params: { relay?: string; host?: string; port?: number }): Promise<RelayStatusView> {
    return this.inTurn(() => this.connectNow(params));
  }

  disconnect(): Promise<RelayStatusView> {
    return this.inTurn(() => this.disconnectNow());
  }

  private inTurn<T>(run: () => Promise<T>): Promise<T> {
    const turn = this.serial.then(run);
    this.serial = turn.catch(() => undefined);
    return turn;
  }

  private async connectNow(params: { relay?: string; host?: string; port?: number }): Promise<RelayStatusView> {
    const previous = this.options.store.relaySettings();
    const url = params.relay === undefined ? null : normalizeRelayUrl(params.relay);
    if (!url && !this.options.relayEntry) {
      throw new ProtocolError('conflict', 'this vibe has no embedded relay to start; pass a relay address (`vibe connect --relay https://…`)');
    }
    const sameEmbedded = !url && !previous.url && (params.host ?? '127.0.0.1') === (previous.embeddedHost ?? '127.0.0.1');
    const settings: RelaySettingsRecord = {
      enabled: true,
      url,
      embeddedHost: url ? previous.embeddedHost : (params.host ?? '127.0.0.1'),
      // Keep the port links already name unless another is asked for.
      embeddedPort: url ? previous.embeddedPort : (params.port ?? (sameEmbedded ? previous.embeddedPort : null) ?? 0),
    };
    const unchanged =
      previous.enabled && previous.url === settings.url && previous.embeddedHost === settings.embeddedHost && previous.embeddedPort === settings.embeddedPort;
    if (unchanged && this.link) {
      await this.link.whenConnected(CONNECT_WAIT_MS);
      return this.status();
    }
    await this.tearDown();
    this.options.store.setRelaySettings(settings);
    this.startError = null;
    try {
      await this.bringUp(settings);
    } catch (error) {
      this.startError = (error as Error).message;
      throw new ProtocolError('conflict', `the relay did not start: ${this.startError}`);
    }
    await this.link?.whenConnected(CONNECT_WAIT_MS);
    return this.status();
  }

  private async disconnectNow(): Promise<RelayStatusView> {
    const settings = this.options.store.relaySettings();
    this.options.store.setRelaySettings({ ...settings, enabled: false });
    await this.tearDown();
    return this.status();
  }

  /** After any connect under way, which may be what decides the relay's address (an embedded relay's port). */
  createLink(kind: LinkKind, label: string | undefined): Promise<{ link: LinkView; url: string }> {
    return this.inTurn(async () => this.createLinkNow(kind, label));
  }

  private createLinkNow(kind: LinkKind, label: string | undefined): { link: LinkView; url: string } {
    const settings = this.options.store.relaySettings();
    if (!settings.enabled) throw new ProtocolError('conflict', 'no relay is configured; `vibe connect` sets one up');
    const id = toBase64Url(randomBytes(8));
    const secret = randomBytes(32);
    // The secret goes to the keychain (or the 0600 file) before the row exists, so a link never lacks one.
    this.options.secrets.set(`link:${id}`, toBase64Url(secret));
    const count = this.options.store.listLinks().length;
    const record = this.options.store.createLink({ id, label: label ?? `link ${count + 1}`, kind, createdAt: new Date().toISOString() });
    const url = formatLink({ relayUrl: this.publicUrl(settings)!, daemonId: this.daemonId, linkId: id, secret });
    this.options.logger.info('link created', { link: id, kind, label: record.label });
    return { link: this.view(record), url };
  }

  listLinks(): LinkView[] {
    return this.options.store.listLinks().map((record) => this.view(record));
  }

  revokeLink(id: string): LinkView {
    const record = this.options.store.getLink(id);
    if (!record) throw new ProtocolError('not_found', `no link ${id}; \`vibe links ls\` lists them`);
    if (record.revokedAt) throw new ProtocolError('conflict', `link ${id} was already revoked at ${record.revokedAt}`);
    const revoked = this.options.store.revokeLink(id, new Date().toISOString());
    this.options.secrets.delete(`link:${id}`);
    let closed = 0;
    for (const client of [...this.clients.values()]) {
      if (client.linkId !== id) continue;
      client.close(E2E_CLOSE.revoked, 'link revoked');
      closed++;
    }
    this.options.logger.info('link revoked', { link: id, closed });
    return this.view(revoked);
  }

  async dispose(): Promise<void> {
    await this.tearDown();
  }

  private view(record: LinkRecord): LinkView {
    let connections = 0;
    for (const client of this.clients.values()) if (client.linkId === record.id) connections++;
    return { ...record, connections };
  }

  private async bringUp(settings: RelaySettingsRecord): Promise<void> {
    let relayUrl = settings.url;
    if (!relayUrl) {
      if (!this.options.relayEntry) throw new Error('this vibe has no embedded relay');
      const host = settings.embeddedHost ?? '127.0.0.1';
      this.embedded = new EmbeddedRelay({
        entry: this.options.relayEntry,
        host,
        port: settings.embeddedPort ?? 0,
        logFile: this.options.relayLogFile,
        pidFile: this.options.relayPidFile,
        logger: this.options.logger,
        onListening: (port) => {
          const current = this.options.store.relaySettings();
          if (current.embeddedPort !== port) this.options.store.setRelaySettings({ ...current, embeddedPort: port });
        },
      });
      const port = await this.embedded.start();
      relayUrl = `http://${dialHost(host)}:${port}`;
    }
    this.link = new RelayLink({
      relayUrl,
      identity: this.options.identity,
      logger: this.options.logger,
      heartbeatMs: this.options.heartbeatMs,
      events: {
        open: (conn) => this.open(conn),
        data: (conn, payload) => this.clients.get(conn)?.receive(payload),
        close: (conn) => this.clients.get(conn)?.gone(),
        lost: () => {
          for (const client of [...this.clients.values()]) client.gone();
        },
      },
    });
  }

  private async tearDown(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    link?.dispose();
    for (const client of [...this.clients.values()]) client.gone();
    const embedded = this.embedded;
    this.embedded = undefined;
    await embedded?.stop();
  }

  private open(conn: number): void {
    const link = this.link!;
    const max = this.options.maxClients ?? DEFAULT_MAX_CLIENTS;
    if (this.clients.size >= max) {
      link.closeClient(conn, 4429, 'too many clients');
      return;
    }
    this.clients.get(conn)?.gone();
    const client = new RemoteClient({
      conn,
      identity: this.options.identity,
      lookup: this.lookup,
      access: (linkId) => {
        const record = this.options.store.getLink(linkId);
        if (!record || record.revokedAt) return undefined;
        return { kind: 'link', linkId, label: record.label, readOnly: record.kind === 'view' };
      },
      openControl: this.options.openControl,
      send: (message, written) => link.send(conn, message, written),
      close: (code, reason) => link.closeClient(conn, code, reason),
      onEstablished: (established) => this.options.store.touchLink(established.linkId!, new Date().toISOString()),
      onEnded: (ended) => {
        if (this.clients.get(conn) === ended) this.clients.delete(conn);
        if (ended.linkId && this.options.store.getLink(ended.linkId)) this.options.store.touchLink(ended.linkId, new Date().toISOString());
      },
      aead: this.options.aead,
      logger: this.options.logger,
    });
    this.clients.set(conn, client);
  }

  private readonly lookup: LinkLookup = (linkId) => {
    const record = this.options.store.getLink(linkId);
    if (!record) return undefined;
    if (record.revokedAt) return 'revoked';
    const stored = this.options.secrets.get(`link:${linkId}`);
    const secret = stored === undefined ? undefined : fromBase64Url(stored);
    return secret ? { secret } : undefined;
  };

  /** The address links carry: the remote relay, or the embedded one as other machines can reach it. */
  private publicUrl(settings: RelaySettingsRecord): string | null {
    if (settings.url) return settings.url;
    const host = settings.embeddedHost ?? '127.0.0.1';
    const port = this.embedded?.port ?? settings.embeddedPort;
    if (!port) return null;
    return `http://${advertisedHost(host)}:${port}`;
  }
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** Where the daemon itself dials the embedded relay. */
function dialHost(host: string): string {
  if (isWildcard(host)) return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** What a link names for a relay bound to `host`: a wildcard bind is reached by this machine's LAN address. */
function advertisedHost(host: string): string {
  if (!isWildcard(host)) return host.includes(':') ? `[${host}]` : host;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return '127.0.0.1';
}

/** True when the embedded relay would listen beyond this machine. */
export function exposesBeyondLoopback(host: string): boolean {
  return !(host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.'));
}
