// What a control connection runs over, and with what access: the unix socket adapts to it, and so does a
// remote client reached through the relay, so both are served by the same connection code and handlers.
import type { Socket } from 'node:net';

/** The byte pipe a connection writes to. Whoever owns it feeds bytes in through the connection's ControlPort. */
export interface ConnectionTransport {
  write(bytes: Uint8Array): void;
  /**
   * Writes the pieces as one write, where the transport can do so without joining them (the relay's
   * records seal them in place). The pieces may change once this returns: copy or consume them first.
   */
  writev?(parts: readonly Uint8Array[]): void;
  /** Bytes written but not yet sent on; past a bound the client counts as not reading. */
  bufferedBytes(): number;
  /** Closes once what was written has been sent. */
  end(): void;
  /** Closes now, dropping what was not sent. */
  destroy(): void;
}

/** How the transport's owner drives a connection it opened. */
export interface ControlPort {
  /** Bytes from the client, split anywhere. */
  receive(chunk: Uint8Array): void;
  /** The transport sent what it had buffered: viewers held back can be caught up. */
  drained(): void;
  /** The transport is gone (either side closed it); the connection lets go of everything it held. */
  closed(): void;
}

export interface LocalAccess {
  kind: 'local';
}

/** A connection opened through a relay link: what it may do is decided here, by the link, never by the relay. */
export interface LinkAccess {
  kind: 'link';
  linkId: string;
  label: string;
  /** A view-only link: read methods only, attach read-only, no input. */
  readOnly: boolean;
}

export type ConnectionAccess = LocalAccess | LinkAccess;

export const LOCAL_ACCESS: LocalAccess = Object.freeze({ kind: 'local' });

/**
 * Who a connection is, as others see it in chat and presence (@since 1.5): the link's label, or the label the
 * daemon gives its own socket (the machine's user name: every local client is that user); the access kind;
 * and the device the hello named with its client.
 */
export interface PeerIdentity {
  label: string;
  kind: 'local' | 'control' | 'view';
  device: string;
}

export function peerIdentity(access: ConnectionAccess, localLabel: string, hello: { client: { name: string; version: string }; device?: string }): PeerIdentity {
  const client = `${hello.client.name} ${hello.client.version}`;
  return {
    label: access.kind === 'link' ? access.label : localLabel,
    kind: accessName(access),
    device: hello.device ? `${hello.device} (${client})` : client,
  };
}

/** The welcome's name for an access level. */
export function accessName(access: ConnectionAccess): 'local' | 'control' | 'view' {
  if (access.kind === 'local') return 'local';
  return access.readOnly ? 'view' : 'control';
}

const NOTHING = Buffer.alloc(0);

/**
 * A unix-socket client as a transport; the socket's own events are wired to the port by the server.
 * `flushed` runs once bytes the kernel did not take at once are all out: `drain` fires only past the
 * high-water mark, and a viewer held back while its connection is busy must hear of every flush.
 */
export function socketTransport(socket: Socket, flushed: () => void = () => {}): ConnectionTransport {
  let waiting = false;
  return {
    write: (bytes) => {
      if (socket.destroyed || socket.writableEnded) return;
      socket.write(bytes);
      if (waiting || socket.writableLength === 0) return;
      waiting = true;
      // An empty write's callback runs once everything queued before it is written.
      socket.write(NOTHING, () => {
        waiting = false;
        flushed();
      });
    },
    bufferedBytes: () => socket.writableLength,
    end: () => {
      socket.end();
    },
    destroy: () => {
      socket.destroy();
    },
  };
}
