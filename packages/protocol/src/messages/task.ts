// Task messages: the unit of work, its statuses and the transitions between them.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { AgentName, ClientId, ProjectSelector, Timestamp } from './common.js';
import { AGENT_STATES } from '../agent-state.js';
import { TASK_STATUSES, type TaskStatus as TaskStatusName } from '../task-status.js';

export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = TaskStatusName;

export const TaskTitle = z
  .string()
  .max(LIMITS.titleMax, `title is longer than ${LIMITS.titleMax} characters`)
  .regex(/\S/, 'title must not be empty');
export const TaskDescription = z
  .string()
  .max(LIMITS.descriptionMax, `description is longer than ${LIMITS.descriptionMax} characters`);

export const Task = z.object({
  project: z.string().describe('Project name'),
  projectId: z.number().int().positive(),
  number: z.number().int().positive().describe('Short per-project id; never reused'),
  title: z.string(),
  description: z.string(),
  agent: z.string().nullable().describe('Agent to run; null means the configured default'),
  status: TaskStatus,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** @since 1.1 How many times the task was started. */
  attempts: z.number().int().nonnegative().optional().describe('@since 1.1 How many times the task was started'),
  /** @since 1.1 The newest attempt's session, if the task was ever started. */
  session: z
    .object({
      id: z.number().int().positive(),
      attempt: z.number().int().positive(),
      agent: z.string(),
      state: z.enum(AGENT_STATES),
      exitCode: z.number().int().nullable(),
      lastActivityAt: Timestamp,
    })
    .nullable()
    .optional()
    .describe('@since 1.1 The newest attempt\'s session; null when never started'),
});
export type Task = z.infer<typeof Task>;

/** Names one task: its per-project number plus the usual project selection. */
export const TaskRef = ProjectSelector.extend({ number: z.number().int().positive() });
export type TaskRef = z.infer<typeof TaskRef>;

export const TaskCreateParams = ProjectSelector.extend({
  title: TaskTitle,
  description: TaskDescription.optional(),
  agent: AgentName.optional(),
  /** @since 1.5 A repeat with the same id (in the same project) answers the task the first created. */
  clientId: ClientId.optional(),
});
export const TaskResult = z.object({ task: Task });
export const TaskCreateResult = TaskResult.extend({
  /** @since 1.5 True when clientId repeated an earlier create: task is the one it made, nothing new was stored. */
  duplicate: z.boolean().optional().describe('@since 1.5 True when clientId repeated an earlier create; nothing new was stored'),
});

export const TaskListParams = ProjectSelector.extend({
  status: z.array(TaskStatus).optional().describe('Only these statuses; default all'),
  allProjects: z.boolean().optional(),
});
export const TaskListResult = z.object({ tasks: z.array(Task) });

export const TaskGetParams = TaskRef;

export const TaskUpdateParams = TaskRef.extend({
  title: TaskTitle.optional(),
  description: TaskDescription.optional(),
  agent: AgentName.nullable().optional().describe('null resets to the default agent'),
});

export const TaskMoveParams = TaskRef.extend({ status: TaskStatus });
export const TaskMoveResult = z.object({ task: Task, from: TaskStatus });

export const TaskRemoveParams = TaskRef.extend({
  /** @since 1.1 Also remove the task's worktrees and branches, unmerged work included. */
  force: z.boolean().optional(),
});
