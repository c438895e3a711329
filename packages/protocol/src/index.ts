// Public surface of @vibe/protocol. Runtime-neutral: Node-only helpers live in '@vibe/protocol/node'.
export * from './errors.js';
export * from './version.js';
export * from './frame.js';
export * from './validate.js';
export * from './methods.js';
export * from './config-file.js';
export * from './schema-document.js';
export * from './client.js';
export * from './limits.js';
export * from './backoff.js';
export * from './rate-limiter.js';
export * from './task-status.js';
export * from './agent-state.js';
export * from './messages/common.js';
export * from './messages/project.js';
export * from './messages/task.js';
// Both the plain status list and the schema module define TaskStatus; the schema's pairs value and type.
export { TaskStatus } from './messages/task.js';
export * from './messages/daemon.js';
export * from './messages/session.js';
export * from './messages/review.js';
export * from './messages/events.js';
export * from './messages/relay.js';
export * from './messages/files.js';
export * from './messages/inbox.js';
export * from './messages/chat.js';
export * from './messages/presence.js';
export * from './messages/approval.js';
// Both the plain state list and the schema module define AgentState; the schema's pairs value and type.
export { AgentState } from './messages/session.js';
export * from './messages/envelope.js';
export * from './e2e/index.js';
export * from './relay/index.js';
export * from './terminal/screen-writer.js';
