import WebSocket from 'ws';
import type { Metrics } from './metrics.js';

// Every WebSocket the relay holds, daemon or client: the heartbeat that pings each one and cuts it when it
// stops answering, and the one way the relay closes a socket (with a deadline for the closing handshake).

/**
 * How long a socket told to close may take to finish the closing handshake before it is cut. A slow consumer
 * gets its 4508 only after what is queued ahead of it, so this is also how long its bounded queue may linger.
 */
const CLOSE_GRACE_MS = 5_000;

interface PeerState {
  alive: boolean;
}

export class Sockets {
  private readonly peers = new Map<WebSocket, PeerState>();

  constructor(private readonly metrics: Metrics) {}

  get size(): number {
    return this.peers.size;
  }

  /** Counts `ws` among the relay's sockets until it closes, and marks it alive whenever it answers a ping. */
  track(ws: WebSocket): void {
    const state: PeerState = { alive: true };
    this.peers.set(ws, state);
    ws.on('pong', () => (state.alive = true));
    ws.on('close', () => this.peers.delete(ws));
    ws.on('error', (error) => this.failed(error));
  }

  /** One heartbeat: a socket that has not answered the previous ping is terminated, every other one pinged. */
  ping(): void {
    for (const [ws, state] of this.peers) {
      if (!state.alive) {
        this.metrics.drop('heartbeat');
        ws.terminate();
        continue;
      }
      state.alive = false;
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }
  }

  close(ws: WebSocket, code: number, reason: string): void {
    if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
    this.metrics.closed(code);
    ws.close(code, reason);
    // A peer that never answers the close frame (or cannot: a slow consumer's buffer is full) is cut.
    setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  closeAll(code: number, reason: string): void {
    for (const ws of this.peers.keys()) this.close(ws, code, reason);
  }

  terminateAll(): void {
    for (const ws of this.peers.keys()) ws.terminate();
  }

  private failed(error: Error & { code?: string }): void {
    this.metrics.drop(error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'too_big' : 'protocol_error');
  }
}
