// The store room's public entry: the only code in vibe that touches SQLite.
export { Store } from './store.js';
export type {
  CreateSessionInput,
  CreateTaskInput,
  EventOf,
  SessionEvent,
  StatusCounts,
  StoreOptions,
  TaskCountsResult,
  UpdateTaskInput,
} from './store-types.js';
export type { RegisterProjectInput } from './projects.js';
export type { CreateLinkInput, LinkKind, LinkRecord, RelaySettingsRecord } from './links.js';
export type { ApprovalAnswer, ApprovalFilter, NewApproval, StoredApproval } from './approvals.js';
export { DEFAULT_PROJECT_SETTINGS, type UpdateProjectInput } from './project-settings.js';
export type { SessionPatch } from './session-rules.js';
export type { SessionFilter, SessionHostKind, SessionSecret } from './sessions.js';
export { zeroCounts, type TaskFilter } from './tasks.js';
export type { EventsSinceOptions } from './events.js';
export type { ChatListOptions, PostChatInput } from './chat.js';
export type { PostInboxInput, ReadInboxInput } from './inbox-writes.js';
export { isBusyError, StoreError, type StoreErrorCode } from './errors.js';
export { DEFAULT_BUSY_TIMEOUT_MS } from './database.js';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
