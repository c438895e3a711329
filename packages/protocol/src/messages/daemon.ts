// Daemon messages: status and shutdown.
import { z } from 'zod';
import { Empty, Timestamp } from './common.js';
import { TaskStatus } from './task.js';

export const TaskCounts = z.record(TaskStatus, z.number().int().nonnegative());
export type TaskCounts = z.infer<typeof TaskCounts>;

export const DaemonStatusParams = Empty;
export const DaemonStatusResult = z.object({
  pid: z.number().int(),
  version: z.string(),
  protocol: z.string(),
  startedAt: Timestamp,
  uptimeSeconds: z.number().nonnegative(),
  socketPath: z.string(),
  paths: z.object({
    home: z.string().nullable().describe('VIBE_HOME when set'),
    configFile: z.string(),
    data: z.string().describe('Directory holding the database and worktrees'),
    database: z.string(),
    logFile: z.string(),
    runtime: z.string().describe('Directory holding the control socket'),
  }),
  projects: z.array(
    z.object({ name: z.string(), path: z.string(), baseBranch: z.string(), tasks: TaskCounts }),
  ),
  tasks: TaskCounts,
});
export type DaemonStatus = z.infer<typeof DaemonStatusResult>;

export const DaemonStopParams = Empty;
export const DaemonStopResult = z.object({ pid: z.number().int() });
