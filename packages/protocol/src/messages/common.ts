// Building blocks shared by several message families: limits, timestamps, project selection.
import { z } from 'zod';
import { LIMITS } from '../limits.js';

export const Timestamp = z.iso.datetime().describe('ISO 8601 UTC timestamp');

/** Which project a request is about: by name, or by a directory inside it; else the only project. */
export const ProjectSelector = z.object({
  project: z.string().min(1).max(LIMITS.projectNameMax).optional().describe('Project name'),
  cwd: z.string().min(1).max(LIMITS.pathMax).startsWith('/', 'cwd must be absolute').optional().describe('A directory inside the project (the client\'s cwd)'),
});
export type ProjectSelector = z.infer<typeof ProjectSelector>;

export const AgentName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'agent names are lowercase letters, digits, ".", "_" and "-"')
  .max(LIMITS.agentNameMax);

export const Empty = z.object({});

/**
 * @since 1.5 Chosen by the client for a request it may send again (a browser's offline queue retrying after a
 * reconnect): a repeat with the same id is answered with what the first did, and changes nothing.
 */
export const ClientId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'client ids are 8 to 64 letters, digits, "_" and "-"')
  .describe('@since 1.5 Chosen by the client; a repeat with the same id is answered as the first and changes nothing');
