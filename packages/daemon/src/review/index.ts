// The review room's public entry: diffs, feedback, landing, rebasing, pull requests, history and cleanup
// of task attempts — like attempts/, a room that combines the store, worktrees and sessions.
export { diff, log, review } from './feedback.js';
export { merge, rebase } from './landing.js';
export { pullRequest } from './pull-request.js';
export { gc } from './gc.js';
export type { ReviewOptions } from './context.js';
export type { CommandResult, CommandRunner } from './command.js';
