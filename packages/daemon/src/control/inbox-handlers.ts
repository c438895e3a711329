// Serves the inbox methods (protocol 1.5): messages between tasks' agents — `vibe mcp` posts and reads them for
// an agent — or from a person. A message waits in the store until the receiving task reads it; it is never typed
// into a terminal, so it cannot land in the middle of what the agent or a person is typing. Only the daemon's
// own machine, where the agents' `vibe mcp` runs, speaks for a task: a link may neither sign a message as a task
// nor mark a task's messages read (the receipt is the receiving agent's).
import { ProtocolError, type MethodName, type MethodParams, type MethodResult, type VibeEvent } from '@vibe/protocol';
import type { Store } from '../store/index.js';
import type { PeerIdentity } from './transport.js';

export interface InboxServices {
  store: Store;
  publish(event: VibeEvent | undefined): void;
}

type InboxMethod = 'inbox.post' | 'inbox.read';
type Handler<M extends MethodName> = (params: MethodParams<M>, context: { peer: PeerIdentity }) => MethodResult<M>;

export function createInboxHandlers({ store, publish }: InboxServices): { [M in InboxMethod]: Handler<M> } {
  return {
    'inbox.post': (params, { peer }) => {
      const project = store.resolveProject(params);
      if (params.fromTask !== undefined && peer.kind !== 'local') {
        throw new ProtocolError('forbidden', 'only an agent on the daemon\'s machine posts as a task; leave out fromTask to post as yourself');
      }
      // A person is named as in chat: the link's label, or the user name of the daemon's machine.
      const fromLabel = params.fromTask === undefined ? peer.label : undefined;
      const { message, event } = store.postInbox(project.id, { to: params.number, text: params.text, fromTask: params.fromTask, fromLabel });
      publish(event);
      return { message };
    },
    'inbox.read': (params, { peer }) => {
      const project = store.resolveProject(params);
      const markRead = peer.kind === 'local' ? params.markRead : false;
      const { messages, event } = store.readInbox(project.id, params.number, { unreadOnly: params.unreadOnly, markRead });
      publish(event);
      return { messages };
    },
  };
}
