// Serves the session methods: starting and stopping attempts, attaching viewers, typing, hooks, listing.
import { ProtocolError, type Frame, type MethodName, type MethodParams, type MethodResult, type Session } from '@vibe/protocol';
import { sessionStats, type Attempts } from '../attempts/index.js';
import type { Store } from '../store/index.js';
import type { EventSink } from './event-hub.js';
import type { Presence } from './presence.js';
import type { PeerIdentity } from './transport.js';

/** A connection as the session streams see it: somewhere to send terminal frames, and how full it is. */
export interface TerminalSink {
  readonly id: number;
  sendFrame(frame: Frame): void;
  bufferedBytes(): number;
  /** The connection is gone (it may go while an attach awaits its snapshot). */
  isGone(): boolean;
}

/** The sessions room's viewer streams, as the control room uses them. */
export interface ViewerStreams {
  attach(
    sink: TerminalSink,
    sessionId: number,
    options: { readOnly: boolean; size?: { cols: number; rows: number }; resume?: { stream: string; offset: number } },
  ): Promise<{ stream: string; offset: number; snapshot: boolean }>;
  detach(sink: TerminalSink, sessionId: number): void;
  resize(sink: TerminalSink, sessionId: number, cols: number, rows: number): boolean;
  input(sink: TerminalSink, sessionId: number, bytes: Uint8Array): boolean;
  ack(sink: TerminalSink, sessionId: number, offset: number): void;
  /** The sink's socket drained: a viewer that fell behind can be caught up. */
  drained(sink: TerminalSink): void;
  dropSink(sink: TerminalSink): void;
}

export interface SessionServices {
  store: Store;
  attempts: Attempts;
  streams: ViewerStreams;
  /** Who watches each session (@since 1.5). */
  presence: Presence;
}

type Context = { sink: EventSink & TerminalSink; peer: PeerIdentity };
type AsyncHandler<M extends MethodName> = (params: MethodParams<M>, context: Context) => MethodResult<M> | Promise<MethodResult<M>>;
type SessionMethod =
  | 'task.start'
  | 'task.stop'
  | 'session.list'
  | 'session.attach'
  | 'session.detach'
  | 'session.resize'
  | 'session.send'
  | 'session.hook'
  | 'session.viewers';

export function createSessionHandlers({ store, attempts, streams, presence }: SessionServices): { [M in SessionMethod]: AsyncHandler<M> } {
  /** A session by id, or a task's newest attempt. */
  const sessionOf = (ref: { session?: number; project?: string; cwd?: string; number?: number }): Session => {
    if (ref.session !== undefined) return attempts.session(ref.session);
    const project = store.resolveProject(ref);
    const session = store.latestSession(project.id, ref.number!);
    if (!session) throw new ProtocolError('not_found', `task ${ref.number} has never been started; run \`vibe task start ${ref.number}\``);
    return session;
  };

  return {
    'task.start': async (params) => ({ session: attempts.view(await attempts.start(params)) }),
    'task.stop': async (params) => ({ sessions: (await attempts.stop(params)).map((session) => attempts.view(session)) }),
    'session.list': async (params) => {
      const projectId = params.allProjects || (!params.project && !params.cwd) ? undefined : store.resolveProject(params).id;
      const sessions = store.listSessions({ projectId, live: params.running ? true : undefined }).map((session) => attempts.view(session));
      const stats = await sessionStats(sessions);
      return { sessions: sessions.map((session) => ({ ...session, stats: stats.get(session.id)! })) };
    },
    'session.attach': async (params, { sink, peer }) => {
      const session = sessionOf(params as never);
      if (session.state === 'exited') {
        throw new ProtocolError('conflict', `session ${session.id} (task ${session.taskNumber}) has exited${session.exitCode === null ? '' : ` with code ${session.exitCode}`}`);
      }
      attempts.terminal(session.id);
      const opened = await streams.attach(sink, session.id, { readOnly: params.readOnly ?? false, size: params.size, resume: params.resume });
      // Gone while the snapshot was taken: its close already detached it everywhere, so attach it nowhere.
      if (sink.isGone()) {
        streams.detach(sink, session.id);
        throw new ProtocolError('shutting_down', 'the connection closed while attaching');
      }
      if (params.size && !params.readOnly) attempts.resized(session.id, params.size.cols, params.size.rows);
      const viewer = presence.attached(sink, peer, session.id, params.readOnly ?? false);
      return { session: attempts.view(attempts.session(session.id)), ...opened, viewer };
    },
    'session.detach': (params, { sink }) => {
      streams.detach(sink, params.session);
      presence.detached(sink, params.session);
      return {};
    },
    'session.viewers': (params) => {
      // not_found for a session that never was; an ended one simply has nobody watching.
      attempts.session(params.session);
      return { viewers: presence.viewers(params.session) };
    },
    'session.resize': (params, { sink }) => {
      if (!streams.resize(sink, params.session, params.cols, params.rows)) {
        throw new ProtocolError('conflict', `this connection is not attached to session ${params.session} with write access`);
      }
      attempts.resized(params.session, params.cols, params.rows);
      return {};
    },
    'session.send': (params) => {
      const session = sessionOf(params as never);
      attempts.send(session.id, params.text, params.enter ?? false);
      return {};
    },
    'session.hook': (params) => {
      attempts.hook(params.session, params.token, params.event);
      return {};
    },
  };
}
