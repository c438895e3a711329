// The store room's public entry: the only code in vibe that touches SQLite.
export { Store } from './store.js';
export type { CreateTaskInput, EventOf, StoreOptions, TaskCountsResult, UpdateTaskInput } from './store.js';
export type { RegisterProjectInput } from './projects.js';
export { zeroCounts, type StatusCounts, type TaskFilter } from './tasks.js';
export type { EventsSinceOptions } from './events.js';
export { isBusyError, StoreError, type StoreErrorCode } from './errors.js';
export { DEFAULT_BUSY_TIMEOUT_MS } from './database.js';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.js';
