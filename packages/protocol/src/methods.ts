// The method catalogue: every request the daemon serves, with its parameter and result schemas.
import type { z } from 'zod';
import { DaemonStatusParams, DaemonStatusResult, DaemonStopParams, DaemonStopResult } from './messages/daemon.js';
import {
  EventsSubscribeParams,
  EventsSubscribeResult,
  EventsUnsubscribeParams,
  EventsUnsubscribeResult,
} from './messages/events.js';
import {
  ProjectListParams,
  ProjectListResult,
  ProjectRegisterParams,
  ProjectRegisterResult,
  ProjectUpdateParams,
  ProjectUpdateResult,
} from './messages/project.js';
import {
  Ok,
  SessionAttachParams,
  SessionAttachResult,
  SessionDetachParams,
  SessionHookParams,
  SessionListParams,
  SessionListResult,
  SessionResizeParams,
  SessionSendParams,
  TaskStartParams,
  TaskStartResult,
  TaskStopParams,
  TaskStopResult,
} from './messages/session.js';
import {
  GcParams,
  GcResult,
  TaskDiffParams,
  TaskDiffResult,
  TaskLogParams,
  TaskMergeParams,
  TaskMergeResult,
  TaskPrParams,
  TaskPrResult,
  TaskRebaseParams,
  TaskRebaseResult,
  TaskReviewParams,
  TaskReviewResult,
} from './messages/review.js';
import { TaskLogResult } from './messages/events.js';
import {
  TaskCreateParams,
  TaskGetParams,
  TaskListParams,
  TaskListResult,
  TaskMoveParams,
  TaskMoveResult,
  TaskRemoveParams,
  TaskResult,
  TaskUpdateParams,
} from './messages/task.js';

export const METHODS = {
  'daemon.status': { params: DaemonStatusParams, result: DaemonStatusResult, doc: 'Daemon health, paths, projects and task counts.' },
  'daemon.stop': { params: DaemonStopParams, result: DaemonStopResult, doc: 'Stop the daemon gracefully after answering.' },
  'project.register': { params: ProjectRegisterParams, result: ProjectRegisterResult, doc: 'Register a repository (idempotent by path).' },
  'project.list': { params: ProjectListParams, result: ProjectListResult, doc: 'All registered projects.' },
  'project.update': { params: ProjectUpdateParams, result: ProjectUpdateResult, doc: 'Change base branch, setup, instructions or max sessions.' },
  'task.create': { params: TaskCreateParams, result: TaskResult, doc: 'Create a task in todo.' },
  'task.list': { params: TaskListParams, result: TaskListResult, doc: 'Tasks of one project, or of all.' },
  'task.get': { params: TaskGetParams, result: TaskResult, doc: 'One task.' },
  'task.update': { params: TaskUpdateParams, result: TaskResult, doc: 'Change title, description or agent.' },
  'task.move': { params: TaskMoveParams, result: TaskMoveResult, doc: 'Change status along a legal transition.' },
  'task.remove': { params: TaskRemoveParams, result: TaskResult, doc: 'Delete a task; its number is never reused.' },
  'task.start': { params: TaskStartParams, result: TaskStartResult, doc: 'New attempt: worktree, branch, setup, agent in a session.' },
  'task.stop': { params: TaskStopParams, result: TaskStopResult, doc: 'Stop the task\'s running sessions (graceful, then kill); worktrees kept.' },
  'session.list': { params: SessionListParams, result: SessionListResult, doc: 'Sessions with CPU and memory of their processes.' },
  'session.attach': { params: SessionAttachParams, result: SessionAttachResult, doc: 'Stream a session\'s terminal to this connection.' },
  'session.detach': { params: SessionDetachParams, result: Ok, doc: 'Stop streaming a session to this connection.' },
  'session.resize': { params: SessionResizeParams, result: Ok, doc: 'Resize a session\'s terminal.' },
  'session.send': { params: SessionSendParams, result: Ok, doc: 'Type text into a session, optionally followed by Enter.' },
  'session.hook': { params: SessionHookParams, result: Ok, doc: 'State report from an agent hook inside a session.' },
  'task.diff': { params: TaskDiffParams, result: TaskDiffResult, doc: 'An attempt\'s changes against its base, uncommitted ones included.' },
  'task.review': { params: TaskReviewParams, result: TaskReviewResult, doc: 'Send review feedback to the attempt\'s agent (restarting it if it exited).' },
  'task.merge': { params: TaskMergeParams, result: TaskMergeResult, doc: 'Land an attempt on the base branch; all or nothing.' },
  'task.rebase': { params: TaskRebaseParams, result: TaskRebaseResult, doc: 'Bring an attempt up to date with its base.' },
  'task.pr': { params: TaskPrParams, result: TaskPrResult, doc: 'Push the attempt\'s branch and open a pull request (gh) or give the compare URL.' },
  'task.log': { params: TaskLogParams, result: TaskLogResult, doc: 'The task\'s history from the event log.' },
  'worktree.gc': { params: GcParams, result: GcResult, doc: 'Remove finished attempts\' worktrees; never unmerged work without force.' },
  'events.subscribe': { params: EventsSubscribeParams, result: EventsSubscribeResult, doc: 'Receive pushed events, optionally replaying from a seq.' },
  'events.unsubscribe': { params: EventsUnsubscribeParams, result: EventsUnsubscribeResult, doc: 'Stop a subscription.' },
} as const;

export type MethodName = keyof typeof METHODS;
export type MethodParams<M extends MethodName> = z.input<(typeof METHODS)[M]['params']>;
export type MethodResult<M extends MethodName> = z.output<(typeof METHODS)[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}
