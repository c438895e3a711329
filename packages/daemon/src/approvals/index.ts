// The approvals room's public entry: agents' permission requests, held until a person answers.
export { Approvals, type ApprovalsOptions, type ScreenKeys } from './approvals.js';
