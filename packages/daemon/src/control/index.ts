// The control room's public entry: the unix-socket API server.
export { ControlServer, type ControlServerOptions } from './server.js';
export type { ControlServices } from './handlers.js';
