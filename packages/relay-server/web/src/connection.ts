// The page's one connection to the daemon through the relay: connect, stay connected, and say at every moment
// which of these it is — connecting, live, reconnecting (with when the next try is), offline (a button tries
// again) or failed for good (a wrong key, a revoked link: a full-page error, never a silent connect).
import { backoffDelay, connectOverRelay, platformSubtle, RelayConnectError, webCryptoAead, type ControlClient, type ParsedLink, type WebSocketConstructor, type Welcome } from '@vibe/protocol';

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live'; welcome: Welcome }
  | { kind: 'reconnecting'; retryAt: number; reason: string }
  | { kind: 'offline'; reason: string }
  | { kind: 'failed'; title: string; text: string; canRetry: boolean };

/** Gives up retrying by itself after this long; the user can still press "Try again". */
const RETRY_FOR_MS = 5 * 60_000;
/** Without any message from the daemon this long, the page asks it something to learn whether it is still there. */
const QUIET_MS = 20_000;
const PROBE_TIMEOUT_MS = 10_000;

/**
 * WebCrypto where the page has it (https, localhost): AES natively, off the main thread. A page on plain http
 * at a LAN address has no `crypto.subtle` and uses the same cipher in JavaScript (@noble).
 */
const subtle = platformSubtle();
const asyncAead = subtle ? webCryptoAead(subtle) : undefined;

/** "Chrome on Android", "Safari on iPhone": shown to others watching the same session. */
export function describeDevice(agent = navigator.userAgent): string {
  const browser = /Edg\//.test(agent) ? 'Edge' : /Firefox\//.test(agent) ? 'Firefox' : /Chrom(e|ium)\//.test(agent) ? 'Chrome' : /Safari\//.test(agent) ? 'Safari' : 'a browser';
  const system = /iPhone/.test(agent) ? 'iPhone' : /iPad/.test(agent) ? 'iPad' : /Android/.test(agent) ? 'Android' : /Mac OS X/.test(agent) ? 'macOS' : /Windows/.test(agent) ? 'Windows' : /Linux/.test(agent) ? 'Linux' : 'unknown';
  return `${browser} on ${system}`;
}

export const CLIENT_INFO = { name: 'vibe-web', version: document.querySelector<HTMLMetaElement>('meta[name="vibe-version"]')?.content ?? '0' };

export class Connection {
  state: ConnectionState = { kind: 'connecting' };
  client: ControlClient | undefined;
  /** Whether the page was ever live: a failure after that is the daemon going away, not a bad link. */
  private wasLive = false;
  private attempt = 0;
  private failingSince: number | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private probeTimer: ReturnType<typeof setInterval> | undefined;
  private lastMessageAt = 0;
  private viewOnly = false;
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly liveListeners = new Set<(client: ControlClient, welcome: Welcome) => void>();

  constructor(readonly link: ParsedLink) {
    // A phone coming back online or a tab shown again should not wait out a long backoff.
    window.addEventListener('online', () => this.retryNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.retryNow();
    });
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  /** Runs on every new live connection: the first and each one after a reconnect (to fetch and attach again). */
  onLive(listener: (client: ControlClient, welcome: Welcome) => void): () => void {
    this.liveListeners.add(listener);
    if (this.client && this.state.kind === 'live') listener(this.client, this.state.welcome);
    return () => this.liveListeners.delete(listener);
  }

  /** A view-only link: known from the welcome, and remembered while reconnecting. */
  get readOnly(): boolean {
    return this.viewOnly;
  }

  start(): void {
    this.setState({ kind: 'connecting' });
    void this.connect();
  }

  /** The "Try again" button, and the page coming back into view. */
  retryNow(): void {
    if (this.state.kind !== 'reconnecting' && this.state.kind !== 'offline' && !(this.state.kind === 'failed' && this.state.canRetry)) return;
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.failingSince = undefined;
    this.setState({ kind: 'connecting' });
    void this.connect();
  }

  private async connect(): Promise<void> {
    try {
      const { client, welcome } = await connectOverRelay(this.link, { WebSocket: WebSocket as unknown as WebSocketConstructor, client: CLIENT_INFO, device: describeDevice(), capabilities: ['events', 'tasks', 'projects', 'sessions', 'review', 'files'], timeoutMs: 10_000, ...(asyncAead && { asyncAead }) });
      this.client = client;
      this.wasLive = true;
      this.viewOnly = welcome.access === 'view';
      this.attempt = 0;
      this.failingSince = undefined;
      this.lastMessageAt = Date.now();
      client.onEvent(() => (this.lastMessageAt = Date.now()));
      client.onFrame(() => (this.lastMessageAt = Date.now()));
      client.onClose((error) => this.lost(client, error));
      this.startProbe(client);
      this.setState({ kind: 'live', welcome });
      for (const listener of this.liveListeners) listener(client, welcome);
    } catch (error) {
      this.failed(error);
    }
  }

  /**
   * A browser's WebSocket cannot ping, so a relay that vanished without closing (a laptop asleep, a network
   * change) would look live forever: when nothing arrived for a while, a cheap request must come back in time.
   */
  private startProbe(client: ControlClient): void {
    clearInterval(this.probeTimer);
    this.probeTimer = setInterval(() => {
      if (this.client !== client || Date.now() - this.lastMessageAt < QUIET_MS) return;
      const timeout = setTimeout(() => {
        if (this.client === client) client.closed(new RelayConnectError('the daemon stopped answering', 1006, 'timeout'));
        client.close();
      }, PROBE_TIMEOUT_MS);
      client.request('project.list', {}).then(
        () => {
          clearTimeout(timeout);
          this.lastMessageAt = Date.now();
        },
        () => clearTimeout(timeout),
      );
    }, QUIET_MS / 2);
  }

  private lost(client: ControlClient, error: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    clearInterval(this.probeTimer);
    this.failed(error);
  }

  private failed(error: unknown): void {
    const failure = error instanceof RelayConnectError ? error : undefined;
    if (failure?.kind === 'wrong-daemon') {
      return this.setState({
        kind: 'failed',
        title: 'This is not the daemon the link names',
        text: `The daemon that answered could not prove it holds the key this link pins (${this.link.daemonId}). The relay may be misrouting or tampering with the connection. Nothing was sent to it. Check the link with the person who made it, or make a new one with vibe connect.`,
        canRetry: false,
      });
    }
    const permanent = failure && !failure.retryable;
    if (permanent || (!this.wasLive && failure?.code === 4404)) {
      return this.setState({ kind: 'failed', ...describeFailure(failure!, this.link.daemonId), canRetry: failure!.code === 4404 });
    }
    this.failingSince ??= Date.now();
    const reason = error instanceof Error ? error.message : String(error);
    if (Date.now() - this.failingSince > RETRY_FOR_MS) return this.setState({ kind: 'offline', reason });
    const delay = backoffDelay(this.attempt++, 500, 15_000);
    this.setState({ kind: 'reconnecting', retryAt: Date.now() + delay, reason });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.setState({ kind: 'connecting' });
      void this.connect();
    }, delay);
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

/** The full-page words for a link that cannot work as it is. */
function describeFailure(error: RelayConnectError, daemonId: string): { title: string; text: string } {
  switch (error.code) {
    case 4404:
      return {
        title: 'Unknown daemon',
        text: `No daemon with id ${daemonId} is connected to this relay right now. Its computer may be asleep or offline, or its daemon stopped or disconnected (running vibe connect there connects it again). Or the link is for another relay.`,
      };
    case 4401:
      return { title: 'The link’s secret is wrong', text: 'The daemon refused this link’s key. The link may be damaged (copy all of it) or made for another daemon.' };
    case 4403:
      return { title: 'This link was revoked', text: 'Its owner revoked this link (vibe links revoke). Ask for a new one.' };
    default:
      return { title: 'The connection failed', text: error.message };
  }
}
