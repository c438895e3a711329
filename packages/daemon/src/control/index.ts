// The control room's public entry: the control API server, over the unix socket and any other transport.
export { ControlServer, type ControlServerOptions } from './server.js';
export type { ControlServices } from './handlers.js';
export type { RelayControl } from './relay-handlers.js';
export { LOCAL_ACCESS, type ConnectionAccess, type ConnectionTransport, type ControlPort, type LinkAccess, type LocalAccess } from './transport.js';
