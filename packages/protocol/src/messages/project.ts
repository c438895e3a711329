// Project messages: a project is a git repository registered with the daemon.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { Empty, ProjectSelector, Timestamp } from './common.js';

export const ProjectName = z
  .string()
  .min(1)
  .max(LIMITS.projectNameMax)
  // Control characters would corrupt listings; '#' separates a project from a task number in references.
  .regex(/^[^\u0000-\u001f\u007f#]+$/, 'project names cannot contain control characters or "#"');

export const ProjectSettings = z.object({
  setup: z.string().max(LIMITS.setupMax).nullable().describe('Shell command run in each new worktree before the agent'),
  instructions: z.string().max(LIMITS.descriptionMax).nullable().describe('Text given to every agent of the project'),
  maxSessions: z.number().int().min(1).max(LIMITS.maxSessionsMax).describe('Running sessions allowed at once (default 8)'),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

export const Project = z.object({
  id: z.number().int().positive(),
  name: ProjectName,
  path: z.string().describe('Absolute path of the repository top level'),
  baseBranch: z.string(),
  createdAt: Timestamp,
  /** @since 1.1 */
  settings: ProjectSettings.optional().describe('@since 1.1'),
});
export type Project = z.infer<typeof Project>;

export const ProjectRegisterParams = z.object({
  path: z.string().min(1).max(LIMITS.pathMax).startsWith('/', 'path must be absolute'),
  baseBranch: z.string().min(1).max(LIMITS.branchMax),
  name: ProjectName.optional().describe('Defaults to the folder name'),
});
export const ProjectRegisterResult = z.object({
  project: Project,
  created: z.boolean().describe('False when the path was already registered'),
});

export const ProjectUpdateParams = ProjectSelector.extend({
  baseBranch: z.string().min(1).max(LIMITS.branchMax).optional(),
  setup: z.string().max(LIMITS.setupMax).nullable().optional().describe('null clears it'),
  instructions: z.string().max(LIMITS.descriptionMax).nullable().optional().describe('null clears it'),
  maxSessions: z.number().int().min(1).max(LIMITS.maxSessionsMax).optional(),
});
export const ProjectUpdateResult = z.object({ project: Project });

export const ProjectListParams = Empty;
export const ProjectListResult = z.object({ projects: z.array(Project) });
