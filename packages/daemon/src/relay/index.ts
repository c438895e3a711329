// The relay room's public entry: remote access through a relay, as one more transport for the control API.
export { RelayRoom, exposesBeyondLoopback, type RelayRoomOptions, type RelayStore, type LinkRecord, type RelaySettingsRecord, type RelayStatusView, type LinkView } from './relay-room.js';
export type { ConnectionTransport, ControlPort, LinkAccess } from './remote-client.js';
