// Serves each protocol method against the store; params arrive already validated against their schemas.
import { ProtocolError, REPLAY_LIMIT, type MethodName, type MethodParams, type MethodResult, type DaemonStatus, type TaskStatus } from '@vibe/protocol';
import type { Attempts } from '../attempts/index.js';
import { checkBaseBranch } from '../worktrees/index.js';
import type { Store } from '../store/index.js';
import type { EventHub, EventSink } from './event-hub.js';
import type { ReviewOptions } from '../review/index.js';
import { createChatHandlers } from './chat-handlers.js';
import { createApprovalHandlers, type ApprovalControl } from './approval-handlers.js';
import { createFileHandlers, type FileServices } from './file-handlers.js';
import { createInboxHandlers } from './inbox-handlers.js';
import { createReviewHandlers } from './review-handlers.js';
import { createRelayHandlers, type RelayControl } from './relay-handlers.js';
import type { Presence } from './presence.js';
import { createSessionHandlers, type TerminalSink, type ViewerStreams } from './session-handlers.js';
import type { ConnectionAccess, PeerIdentity } from './transport.js';

export interface ControlServices {
  store: Store;
  attempts: Attempts;
  streams: ViewerStreams;
  /** What the review room needs besides the store, the attempts and the event hub. */
  review: Pick<ReviewOptions, 'logger' | 'worktreesDir' | 'run'>;
  /** The relay room: the relay connection and links (protocol 1.3). */
  relay: RelayControl;
  /** The files room's uploads under way (protocol 1.4). */
  uploads: FileServices['uploads'];
  /** Agents' permission requests (protocol 1.5). */
  approvals: ApprovalControl;
  /** Agent names a task may name (built-in plus configured). */
  agents(): readonly string[];
  status(): DaemonStatus;
  /** Begins a graceful shutdown once the current response is written. */
  requestStop(): void;
  pid: number;
}

export interface RequestContext {
  sink: EventSink & TerminalSink;
  /** Who is asking; the connection has already refused what this access may not call. */
  access: ConnectionAccess;
  /** Who is asking, as others see it in chat and presence (@since 1.5). */
  peer: PeerIdentity;
}

/** What the handlers may do to connections other than the one asking. */
export interface ConnectionControl {
  closeConnections(match: (access: ConnectionAccess) => boolean): number;
}

type Handler<M extends MethodName> = (params: MethodParams<M>, context: RequestContext) => MethodResult<M> | Promise<MethodResult<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };

export function createHandlers(services: ControlServices, hub: EventHub, connections: ConnectionControl, presence: Presence): Handlers {
  const { store } = services;
  const checkAgent = (agent: string | null | undefined): void => {
    if (agent === undefined || agent === null) return;
    const known = services.agents();
    if (!known.includes(agent)) {
      throw new ProtocolError('invalid_params', `unknown agent "${agent}"; known agents: ${known.join(', ')}`, {
        issues: [{ path: 'agent', message: 'unknown agent' }],
      });
    }
  };
  const publish = <T extends { event?: Parameters<EventHub['publish']>[0] }>(outcome: T): T => {
    hub.publish(outcome.event);
    return outcome;
  };

  return {
    'daemon.status': () => services.status(),
    'daemon.stop': () => {
      services.requestStop();
      return { pid: services.pid };
    },
    'project.register': (params) => {
      const { project, created } = publish(store.registerProject(params));
      return { project, created };
    },
    'project.list': () => ({ projects: store.listProjects() }),
    'project.update': async (params) => {
      const project = store.resolveProject(params);
      const { baseBranch, setup, instructions, maxSessions } = params;
      // A base that does not exist would only fail at the next start; refuse it now, changing nothing.
      if (baseBranch !== undefined) await checkBaseBranch({ repo: project.path, baseBranch });
      return { project: publish(store.updateProject(project.id, { baseBranch, setup, instructions, maxSessions })).project };
    },
    'task.create': (params) => {
      checkAgent(params.agent);
      const project = store.resolveProject(params);
      if (params.clientId === undefined) return { task: publish(store.createTask(project.id, params)).task };
      // @since 1.5: a retried create (a browser's offline queue) answers the first one's task.
      const { task, duplicate } = publish(store.createTaskOnce(project.id, params, params.clientId));
      return { task, duplicate };
    },
    'task.list': (params) => {
      const statuses = params.status as TaskStatus[] | undefined;
      if (params.allProjects) return { tasks: store.listTasks({ statuses }) };
      return { tasks: store.listTasks({ projectId: store.resolveProject(params).id, statuses }) };
    },
    'task.get': (params) => ({ task: store.getTask(store.resolveProject(params).id, params.number) }),
    'task.update': (params) => {
      checkAgent(params.agent);
      const project = store.resolveProject(params);
      const { title, description, agent } = params;
      const { task } = publish(store.updateTask(project.id, params.number, { title, description, agent }));
      return { task };
    },
    'task.move': (params) => {
      const project = store.resolveProject(params);
      const { task, from } = publish(store.moveTask(project.id, params.number, params.status));
      return { task, from };
    },
    'task.remove': async (params) => {
      const project = store.resolveProject(params);
      const task = store.getTask(project.id, params.number);
      hub.publish(await services.attempts.remove(params));
      return { task };
    },
    ...createSessionHandlers({ store, attempts: services.attempts, streams: services.streams, presence }),
    ...createReviewHandlers({ store, attempts: services.attempts, publish: (event) => hub.publish(event), ...services.review }),
    ...createRelayHandlers({ relay: services.relay, closeConnections: (match) => connections.closeConnections(match) }),
    ...createFileHandlers({ store, attempts: services.attempts, uploads: services.uploads }),
    ...createApprovalHandlers({ store, approvals: services.approvals }),
    ...createInboxHandlers({ store, publish: (event) => hub.publish(event) }),
    ...createChatHandlers({ store, publish: (event) => hub.publish(event) }),
    'events.subscribe': (params, { sink }) => {
      const lastSeq = store.lastEventSeq();
      const backlog = params.since === undefined ? [] : store.eventsSince(params.since, { names: params.names, limit: REPLAY_LIMIT + 1 });
      const complete = backlog.length <= REPLAY_LIMIT;
      // An incomplete replay must not go live: live events would arrive with a gap before them.
      const subscription = complete
        ? hub.subscribe(sink, params.names, backlog)
        : hub.replayOnly(sink, backlog.slice(0, REPLAY_LIMIT));
      return { subscription, lastSeq, complete };
    },
    'events.unsubscribe': (params, { sink }) => {
      if (!hub.unsubscribe(params.subscription, sink)) {
        throw new ProtocolError('not_found', `no subscription ${params.subscription} on this connection`);
      }
      return {};
    },
  };
}
