// Daemon messages: status and shutdown.
import { z } from 'zod';
import { AgentName, Empty, Timestamp } from './common.js';
import { TaskStatus } from './task.js';

export const TaskCounts = z.record(TaskStatus, z.number().int().nonnegative());
export type TaskCounts = z.infer<typeof TaskCounts>;

/** @since 1.4 An agent a task may name: what a "create task" form offers. */
export const AgentInfo = z.object({
  name: AgentName,
  builtin: z.boolean().describe('@since 1.4 vibe\'s own adapter; false for an agent the config file defines (even one replacing a built-in)'),
  available: z.boolean().describe('@since 1.4 Its program is installed (on PATH, or an executable absolute path), so task.start can run it'),
});
export type AgentInfo = z.infer<typeof AgentInfo>;

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
  /** @since 1.1 */
  machine: z.object({
    cpus: z.number().int().positive(),
    loadAverage: z.array(z.number()).length(3),
    memoryTotalBytes: z.number().nonnegative(),
    memoryFreeBytes: z.number().nonnegative(),
    diskTotalBytes: z.number().nonnegative().nullable().describe('Of the filesystem holding the data directory'),
    diskFreeBytes: z.number().nonnegative().nullable(),
    uptimeSeconds: z.number().nonnegative(),
  })
    .optional()
    .describe('@since 1.1'),
  /** @since 1.1 How sessions are hosted: tmux when it is on PATH, else node-pty inside the daemon. */
  sessionHost: z.enum(['tmux', 'pty']).optional().describe('@since 1.1 tmux when on PATH, else node-pty in the daemon'),
  /** @since 1.4 Every agent a task may name, sorted by name. */
  agents: z.array(AgentInfo).optional().describe('@since 1.4 Every agent a task may name, sorted by name'),
  /** @since 1.4 The agent a task that names none runs. */
  defaultAgent: z.string().optional().describe('@since 1.4 The agent a task that names none runs (the config\'s defaultAgent)'),
});
export type DaemonStatus = z.infer<typeof DaemonStatusResult>;

export const DaemonStopParams = Empty;
export const DaemonStopResult = z.object({ pid: z.number().int() });
