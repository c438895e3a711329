// The relay room's public entry: remote access through a relay, as one more transport for the control API.
export { RelayRoom, exposesBeyondLoopback, type RelayRoomOptions, type RelayStore, type RelayStatusView, type LinkView } from './relay-room.js';
