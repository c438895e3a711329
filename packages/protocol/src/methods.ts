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
import { InboxPostParams, InboxPostResult, InboxReadParams, InboxReadResult } from './messages/inbox.js';
import { ChatListParams, ChatListResult, ChatPostParams, ChatPostResult } from './messages/chat.js';
import { SessionViewersParams, SessionViewersResult } from './messages/presence.js';
import { ApprovalAnswerParams, ApprovalAnswerResult, ApprovalListParams, ApprovalListResult, ApprovalRequestParams, ApprovalRequestResult } from './messages/approval.js';
import { FileCancelParams, FileCancelResult, FileReadParams, FileReadResult, FileWriteParams, FileWriteResult } from './messages/files.js';
import {
  LinkCreateParams,
  LinkCreateResult,
  LinkListParams,
  LinkListResult,
  LinkRevokeParams,
  LinkRevokeResult,
  RelayConnectParams,
  RelayConnectResult,
  RelayDisconnectParams,
  RelayDisconnectResult,
  RelayStatusParams,
  RelayStatusResult,
} from './messages/relay.js';
import {
  TaskCreateParams,
  TaskCreateResult,
  TaskGetParams,
  TaskListParams,
  TaskListResult,
  TaskMoveParams,
  TaskMoveResult,
  TaskRemoveParams,
  TaskResult,
  TaskUpdateParams,
} from './messages/task.js';

/**
 * Who may call a method (@since 1.3). `read`: every connection, view-only links included (`session.attach`
 * from a view-only link only with `readOnly: true`). `write`: the local socket and control links — whatever
 * changes tasks, sessions or projects, or types into a terminal. `local`: only the daemon's own unix socket —
 * managing the daemon itself, its relay and links, and agent hooks. Links are refused with `forbidden`.
 * `file.read` (@since 1.4) is `read`: a view-only link watches the terminal, where the agent may print any
 * file of its worktree anyway. `chat.post` (@since 1.5) is `read` too: a view-only teammate may talk — a
 * message changes no task, session or project and types into no terminal, and the team view exists so that
 * watchers can speak to the person steering the agents.
 */
export type MethodAccess = 'read' | 'write' | 'local';

interface MethodSpec {
  access: MethodAccess;
  params: z.ZodType;
  result: z.ZodType;
  doc: string;
}

export const METHODS = {
  'daemon.status': { access: 'read', params: DaemonStatusParams, result: DaemonStatusResult, doc: 'Daemon health, paths, projects and task counts.' },
  'daemon.stop': { access: 'local', params: DaemonStopParams, result: DaemonStopResult, doc: 'Stop the daemon gracefully after answering.' },
  'project.register': { access: 'write', params: ProjectRegisterParams, result: ProjectRegisterResult, doc: 'Register a repository (idempotent by path).' },
  'project.list': { access: 'read', params: ProjectListParams, result: ProjectListResult, doc: 'All registered projects.' },
  'project.update': { access: 'write', params: ProjectUpdateParams, result: ProjectUpdateResult, doc: 'Change base branch, setup, instructions or max sessions.' },
  'task.create': { access: 'write', params: TaskCreateParams, result: TaskCreateResult, doc: 'Create a task in todo; once per clientId.' },
  'task.list': { access: 'read', params: TaskListParams, result: TaskListResult, doc: 'Tasks of one project, or of all.' },
  'task.get': { access: 'read', params: TaskGetParams, result: TaskResult, doc: 'One task.' },
  'task.update': { access: 'write', params: TaskUpdateParams, result: TaskResult, doc: 'Change title, description or agent.' },
  'task.move': { access: 'write', params: TaskMoveParams, result: TaskMoveResult, doc: 'Change status along a legal transition.' },
  'task.remove': { access: 'write', params: TaskRemoveParams, result: TaskResult, doc: 'Delete a task; its number is never reused.' },
  'task.start': { access: 'write', params: TaskStartParams, result: TaskStartResult, doc: 'New attempt: worktree, branch, setup, agent in a session.' },
  'task.stop': { access: 'write', params: TaskStopParams, result: TaskStopResult, doc: 'Stop the task\'s running sessions (graceful, then kill); worktrees kept.' },
  'session.list': { access: 'read', params: SessionListParams, result: SessionListResult, doc: 'Sessions with CPU and memory of their processes.' },
  'session.attach': { access: 'read', params: SessionAttachParams, result: SessionAttachResult, doc: 'Stream a session\'s terminal to this connection.' },
  'session.detach': { access: 'read', params: SessionDetachParams, result: Ok, doc: 'Stop streaming a session to this connection.' },
  'session.resize': { access: 'write', params: SessionResizeParams, result: Ok, doc: 'Resize a session\'s terminal.' },
  'session.send': { access: 'write', params: SessionSendParams, result: Ok, doc: 'Type text into a session, optionally followed by Enter.' },
  'session.hook': { access: 'local', params: SessionHookParams, result: Ok, doc: 'State report from an agent hook inside a session.' },
  'task.diff': { access: 'read', params: TaskDiffParams, result: TaskDiffResult, doc: 'An attempt\'s changes against its base, uncommitted ones included.' },
  'task.review': { access: 'write', params: TaskReviewParams, result: TaskReviewResult, doc: 'Send review feedback to the attempt\'s agent (restarting it if it exited).' },
  'task.merge': { access: 'write', params: TaskMergeParams, result: TaskMergeResult, doc: 'Land an attempt on the base branch; all or nothing.' },
  'task.rebase': { access: 'write', params: TaskRebaseParams, result: TaskRebaseResult, doc: 'Bring an attempt up to date with its base.' },
  'task.pr': { access: 'write', params: TaskPrParams, result: TaskPrResult, doc: 'Push the attempt\'s branch and open a pull request (gh) or give the compare URL.' },
  'task.log': { access: 'read', params: TaskLogParams, result: TaskLogResult, doc: 'The task\'s history from the event log.' },
  'worktree.gc': { access: 'write', params: GcParams, result: GcResult, doc: 'Remove finished attempts\' worktrees; never unmerged work without force.' },
  'events.subscribe': { access: 'read', params: EventsSubscribeParams, result: EventsSubscribeResult, doc: 'Receive pushed events, optionally replaying from a seq.' },
  'events.unsubscribe': { access: 'read', params: EventsUnsubscribeParams, result: EventsUnsubscribeResult, doc: 'Stop a subscription.' },
  'relay.connect': { access: 'local', params: RelayConnectParams, result: RelayConnectResult, doc: 'Connect to a relay (embedded or remote) and stay connected across restarts.' },
  'relay.disconnect': { access: 'local', params: RelayDisconnectParams, result: RelayDisconnectResult, doc: 'Leave the relay; links stay but reach nothing until the next connect.' },
  'relay.status': { access: 'read', params: RelayStatusParams, result: RelayStatusResult, doc: 'The relay connection, the daemon id and where secrets are kept.' },
  'link.create': { access: 'local', params: LinkCreateParams, result: LinkCreateResult, doc: 'Mint a control or view-only link; its URL carries the secret.' },
  'link.list': { access: 'local', params: LinkListParams, result: LinkListResult, doc: 'Every link, revoked ones included, newest first.' },
  'link.revoke': { access: 'local', params: LinkRevokeParams, result: LinkRevokeResult, doc: 'Revoke a link and close its live connections.' },
  'file.write': { access: 'write', params: FileWriteParams, result: FileWriteResult, doc: 'Upload a file into an attempt\'s worktree, one chunk per request, in order.' },
  'file.cancel': { access: 'write', params: FileCancelParams, result: FileCancelResult, doc: 'Abandon an upload and remove what it received.' },
  'file.read': { access: 'read', params: FileReadParams, result: FileReadResult, doc: 'Read one chunk of a regular file in an attempt\'s worktree.' },
  'inbox.post': { access: 'write', params: InboxPostParams, result: InboxPostResult, doc: 'Leave a message in a task\'s inbox, from another task or a person.' },
  'inbox.read': { access: 'write', params: InboxReadParams, result: InboxReadResult, doc: 'A task\'s inbox, oldest first; reading marks messages read (the receipt).' },
  'chat.post': { access: 'read', params: ChatPostParams, result: ChatPostResult, doc: 'Post a message to the project\'s chat; once per clientId.' },
  'chat.list': { access: 'read', params: ChatListParams, result: ChatListResult, doc: 'The project\'s newest chat messages, oldest first.' },
  'session.viewers': { access: 'read', params: SessionViewersParams, result: SessionViewersResult, doc: 'Who watches a session and who of them is typing.' },
  'approval.list': { access: 'read', params: ApprovalListParams, result: ApprovalListResult, doc: 'Approvals agents asked for, newest first; pending ones, or all.' },
  'approval.answer': { access: 'write', params: ApprovalAnswerParams, result: ApprovalAnswerResult, doc: 'Allow or deny a pending approval; the first answer wins.' },
  'approval.request': { access: 'local', params: ApprovalRequestParams, result: ApprovalRequestResult, doc: 'From an agent\'s permission hook: record an approval and answer once it is decided.' },
} as const satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof METHODS;
export type MethodParams<M extends MethodName> = z.input<(typeof METHODS)[M]['params']>;
export type MethodResult<M extends MethodName> = z.output<(typeof METHODS)[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}
