// What a control connection runs over, and with what access: the unix socket adapts to it, and so does a
// remote client reached through the relay, so both are served by the same connection code and handlers.
import type { Socket } from 'node:net';

/** The byte pipe a connection writes to. Whoever owns it feeds bytes in through the connection's ControlPort. */
export interface ConnectionTransport {
  write(bytes: Uint8Array): void;
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

/** The welcome's name for an access level. */
export function accessName(access: ConnectionAccess): 'local' | 'control' | 'view' {
  if (access.kind === 'local') return 'local';
  return access.readOnly ? 'view' : 'control';
}

/** A unix-socket client as a transport; the socket's own events are wired to the port by the server. */
export function socketTransport(socket: Socket): ConnectionTransport {
  return {
    write: (bytes) => {
      if (!socket.destroyed && !socket.writableEnded) socket.write(bytes);
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
