// One registered daemon on this relay: its socket and the table of client connections routed to it, local or
// on another relay, by the conn id the daemon knows them by.
import { encodeRelayMessage, RelayOp } from '@vibe/protocol';
import WebSocket from 'ws';

/** A client as its daemon's session sees it: somewhere to deliver the daemon's bytes and a way to close it. */
export interface ClientPeer {
  deliver(payload: Buffer): void;
  close(code: number, reason: string): void;
  /** Set for a client on another relay: that relay's instance id and its id for the client. */
  readonly remote?: { instance: string; conn: number };
}

const TWO_32 = 2 ** 32;
const EMPTY = new Uint8Array(0);

export class DaemonSession {
  readonly conns = new Map<number, ClientPeer>();
  /** `${instance}/${conn}` of a remote client → the local conn id. */
  readonly remoteIndex = new Map<string, number>();
  /** Local clients not read from while the daemon's socket is over its window. */
  readonly paused = new Set<WebSocket>();
  drainTimer: ReturnType<typeof setTimeout> | undefined;
  ended = false;
  private nextConn = 1;

  constructor(
    readonly id: string,
    readonly ws: WebSocket,
    readonly address: string,
  ) {}

  /** Gives `peer` a conn id no live client of this daemon has. */
  add(peer: ClientPeer): number {
    let conn = this.nextConn;
    while (this.conns.has(conn)) conn = conn + 1 >= TWO_32 ? 1 : conn + 1;
    this.nextConn = conn + 1 >= TWO_32 ? 1 : conn + 1;
    this.conns.set(conn, peer);
    if (peer.remote) this.remoteIndex.set(remoteKey(peer.remote.instance, peer.remote.conn), conn);
    return conn;
  }

  remove(conn: number): ClientPeer | undefined {
    const peer = this.conns.get(conn);
    if (!peer) return undefined;
    this.conns.delete(conn);
    if (peer.remote) this.remoteIndex.delete(remoteKey(peer.remote.instance, peer.remote.conn));
    return peer;
  }

  /** Sends one relay message to the daemon; false when its socket is no longer open. */
  send(op: number, conn: number, payload: Uint8Array = EMPTY): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(encodeRelayMessage({ op, conn, payload }), { binary: true });
    return true;
  }

  open(conn: number): boolean {
    return this.send(RelayOp.Open, conn);
  }
}

export function remoteKey(instance: string, conn: number): string {
  return `${instance}/${conn}`;
}
