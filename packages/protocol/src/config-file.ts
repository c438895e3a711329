// The user's config file format, shared so the daemon (which obeys it) and `vibe doctor` (which checks it)
// agree on what a valid file is.
import { z } from 'zod';
import { AgentName } from './messages/common.js';

/** Every key optional; unknown keys are kept (a newer vibe may have written them); known keys must be right. */
export const ConfigFile = z.looseObject({
  defaultAgent: AgentName.optional().describe('Agent used when a task names none (default claude)'),
  busyTimeoutMs: z.number().int().min(0).max(600_000).optional().describe('How long a write waits for a locked database (default 5000)'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).optional().describe('Daemon log level (default info)'),
  agents: z.record(AgentName, z.record(z.string(), z.unknown())).optional().describe('Custom agents by name'),
});
export type ConfigFile = z.infer<typeof ConfigFile>;
