// A client's heartbeat over a WebSocket that can send pings — the `ws` package's in Node; a browser's cannot,
// and there the relay's own pings keep the connection honest. Found by feature detection, so this file runs
// anywhere and imports nothing.

/** What the `ws` package adds to the WebSocket API that a heartbeat needs. */
export interface PingingSocket {
  readonly readyState: number;
  ping(): void;
  on(event: 'pong', listener: () => void): unknown;
  /** Cuts the connection at once, without a closing handshake a dead peer would never answer. */
  terminate?(): void;
}

export interface Heartbeat {
  /** Proof of life other than a pong (any message from the relay). */
  alive(): void;
  stop(): void;
}

const OPEN = 1;

/** The socket's ping API, or undefined where it has none (a browser). */
export function pingingSocket(socket: unknown): PingingSocket | undefined {
  const candidate = socket as Partial<PingingSocket> | null;
  return typeof candidate?.ping === 'function' && typeof candidate.on === 'function' ? (candidate as PingingSocket) : undefined;
}

/**
 * Pings every `intervalMs`. A ping that nothing answered (no pong, no message) by the next tick means the
 * relay or the path to it is gone: `dead` is called once and the heartbeat stops, so a dead relay is noticed
 * within two intervals. Pings also count as activity at the relay, so a quiet client is never idled out.
 */
export function startHeartbeat(socket: PingingSocket, intervalMs: number, dead: () => void): Heartbeat {
  let answered = true;
  const onPong = (): void => {
    answered = true;
  };
  socket.on('pong', onPong);
  const timer = setInterval(() => {
    if (socket.readyState !== OPEN) return;
    if (!answered) {
      clearInterval(timer);
      dead();
      return;
    }
    answered = false;
    try {
      socket.ping();
    } catch {
      // Closing under us: the close event ends the connection.
    }
  }, intervalMs);
  // In Node, a heartbeat alone must not keep a process alive that has nothing else to do.
  (timer as { unref?: () => void }).unref?.();
  return {
    alive: onPong,
    stop: () => clearInterval(timer),
  };
}
