// The method catalogue: every request the daemon serves, with its parameter and result schemas.
import type { z } from 'zod';
import { DaemonStatusParams, DaemonStatusResult, DaemonStopParams, DaemonStopResult } from './messages/daemon.js';
import {
  EventsSubscribeParams,
  EventsSubscribeResult,
  EventsUnsubscribeParams,
  EventsUnsubscribeResult,
} from './messages/events.js';
import { ProjectListParams, ProjectListResult, ProjectRegisterParams, ProjectRegisterResult } from './messages/project.js';
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
  'task.create': { params: TaskCreateParams, result: TaskResult, doc: 'Create a task in todo.' },
  'task.list': { params: TaskListParams, result: TaskListResult, doc: 'Tasks of one project, or of all.' },
  'task.get': { params: TaskGetParams, result: TaskResult, doc: 'One task.' },
  'task.update': { params: TaskUpdateParams, result: TaskResult, doc: 'Change title, description or agent.' },
  'task.move': { params: TaskMoveParams, result: TaskMoveResult, doc: 'Change status along a legal transition.' },
  'task.remove': { params: TaskRemoveParams, result: TaskResult, doc: 'Delete a task; its number is never reused.' },
  'events.subscribe': { params: EventsSubscribeParams, result: EventsSubscribeResult, doc: 'Receive pushed events, optionally replaying from a seq.' },
  'events.unsubscribe': { params: EventsUnsubscribeParams, result: EventsUnsubscribeResult, doc: 'Stop a subscription.' },
} as const;

export type MethodName = keyof typeof METHODS;
export type MethodParams<M extends MethodName> = z.input<(typeof METHODS)[M]['params']>;
export type MethodResult<M extends MethodName> = z.output<(typeof METHODS)[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}
