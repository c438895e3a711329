// Session messages: an attempt at a task — one agent in one worktree and terminal — and its terminal stream.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { AgentName, Timestamp } from './common.js';
import { TaskRef } from './task.js';

import { AGENT_STATES, type AgentState as AgentStateName } from '../agent-state.js';

export const AgentState = z.enum(AGENT_STATES);
export type AgentState = AgentStateName;

/** @since 1.1 */
export const Session = z.object({
  id: z.number().int().positive().describe('Daemon-wide id; also the session id in terminal frames'),
  project: z.string(),
  taskNumber: z.number().int().positive(),
  attempt: z.number().int().positive().describe('1 for the first start of the task, then 2, 3, …'),
  agent: z.string(),
  state: AgentState,
  exitCode: z.number().int().nullable(),
  host: z.enum(['tmux', 'pty']).describe('tmux sessions survive a daemon restart; pty ones end with it'),
  branch: z.string(),
  worktree: z.string(),
  pid: z.number().int().nullable().describe('The agent process (or the session wrapper) while it runs'),
  cols: z.number().int().positive(),
  rows: z.number().int().positive(),
  startedAt: Timestamp,
  endedAt: Timestamp.nullable(),
  lastActivityAt: Timestamp,
});
export type Session = z.infer<typeof Session>;

/** Names a session by id, or by task (its newest attempt). */
export const SessionRef = z.union([
  z.object({ session: z.number().int().positive() }),
  TaskRef.extend({ session: z.undefined().optional() }),
]);
export type SessionRef = z.infer<typeof SessionRef>;

export const TerminalSize = z.object({
  cols: z.number().int().min(2).max(1000),
  rows: z.number().int().min(2).max(500),
});

export const TaskStartParams = TaskRef.extend({ agent: AgentName.optional() });
export const TaskStartResult = z.object({ session: Session });

export const TaskStopParams = TaskRef;
export const TaskStopResult = z.object({ sessions: z.array(Session) });

export const SessionListParams = z.object({
  project: z.string().optional(),
  cwd: z.string().optional(),
  allProjects: z.boolean().optional(),
  running: z.boolean().optional().describe('Only sessions whose process still runs'),
});
export const SessionStats = z.object({
  cpuPercent: z.number().nonnegative().nullable(),
  memoryBytes: z.number().int().nonnegative().nullable(),
});
export const SessionListResult = z.object({ sessions: z.array(Session.extend({ stats: SessionStats })) });

export const SessionAttachParams = z.intersection(
  SessionRef,
  z.object({
    readOnly: z.boolean().optional(),
    size: TerminalSize.optional().describe('The client terminal; the session is resized to it unless read-only'),
    resume: z
      .object({ stream: z.string(), offset: z.number().int().nonnegative() })
      .optional()
      .describe('Continue a stream after the bytes already held; a snapshot is sent when they are gone'),
  }),
);
export const SessionAttachResult = z.object({
  session: Session,
  stream: z.string().describe('Identifies this daemon run of the session; offsets are only valid within it'),
  offset: z.number().int().nonnegative().describe('Where the frames that follow begin'),
  snapshot: z.boolean().describe('True when a Snapshot frame precedes the live output'),
  /** @since 1.5 This attachment's id in the session's viewers, so a client can tell itself apart there. */
  viewer: z.string().optional().describe('@since 1.5 This attachment\'s id in session.viewers'),
});

export const SessionDetachParams = z.object({ session: z.number().int().positive() });
export const SessionResizeParams = TerminalSize.extend({ session: z.number().int().positive() });
export const SessionSendParams = z.intersection(
  SessionRef,
  z.object({ text: z.string().max(LIMITS.sendTextMax), enter: z.boolean().optional() }),
);

/** Reported by agent hooks and notify programs running inside a session. */
export const HOOK_EVENTS = ['working', 'waiting', 'idle'] as const;
export const SessionHookParams = z.object({
  session: z.number().int().positive(),
  token: z.string().min(16).max(128).describe('The per-session secret vibe gave the hook'),
  event: z.enum(HOOK_EVENTS),
  detail: z.string().max(2000).optional(),
});

export const Ok = z.object({});
