// The attempts room's public entry: starting, following, stopping and removing task attempts.
export { Attempts } from './attempts.js';
export type { AttemptsOptions, TerminalRegistry, WorktreeOps } from './types.js';
export { sessionStats, type ProcessStats } from './process-stats.js';
