// Serves the inbox methods (protocol 1.5): messages between tasks' agents — `vibe mcp` posts and reads them for
// an agent — or from a person. A message waits in the store until the receiving task reads it; it is never typed
// into a terminal, so it cannot land in the middle of what the agent or a person is typing.
import type { MethodName, MethodParams, MethodResult, VibeEvent } from '@vibe/protocol';
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
      // A person is named as in chat: the link's label, or the user name of the daemon's machine.
      const fromLabel = params.fromTask === undefined ? peer.label : undefined;
      const { message, event } = store.postInbox(project.id, { to: params.number, text: params.text, fromTask: params.fromTask, fromLabel });
      publish(event);
      return { message };
    },
    'inbox.read': (params) => {
      const project = store.resolveProject(params);
      const { messages, event } = store.readInbox(project.id, params.number, { unreadOnly: params.unreadOnly, markRead: params.markRead });
      publish(event);
      return { messages };
    },
  };
}
