// The attempts room's public entry: starting, following, stopping and removing task attempts.
export { Attempts, type AttemptsOptions, type TerminalRegistry, type WorktreeOps } from './attempts.js';
export type { ProcessStats } from './process-stats.js';
