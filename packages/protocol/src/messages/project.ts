// Project messages: a project is a git repository registered with the daemon.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { Empty, Timestamp } from './common.js';

export const ProjectName = z
  .string()
  .min(1)
  .max(LIMITS.projectNameMax)
  // Control characters would corrupt listings; '#' separates a project from a task number in references.
  .regex(/^[^\u0000-\u001f\u007f#]+$/, 'project names cannot contain control characters or "#"');

export const Project = z.object({
  id: z.number().int().positive(),
  name: ProjectName,
  path: z.string().describe('Absolute path of the repository top level'),
  baseBranch: z.string(),
  createdAt: Timestamp,
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

export const ProjectListParams = Empty;
export const ProjectListResult = z.object({ projects: z.array(Project) });
