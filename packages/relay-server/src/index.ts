// Public surface of @vibe/relay-server: start a relay in-process (tests, embedding) and its option types.
export { startRelay, type RelayServer } from './server.js';
export { DEFAULT_LIMITS, type RelayLimits, type RelayOptions } from './options.js';
export { jsonLogger, nullLogger, type LogLevel, type RelayLogger } from './logger.js';
