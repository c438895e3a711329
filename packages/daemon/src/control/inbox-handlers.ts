// Serves the inbox methods (protocol 1.5): messages between tasks' agents — `vibe mcp` posts and reads them for
// an agent — or from a person. A message waits in the store until the receiving task reads it; it is never typed
// into a terminal, so it cannot land in the middle of what the agent or a person is typing.
import type { MethodName, MethodParams, MethodResult, VibeEvent } from '@vibe/protocol';
import type { Store } from '../store/index.js';
import type { ConnectionAccess } from './transport.js';

export interface InboxServices {
  store: Store;
  publish(event: VibeEvent | undefined): void;
}

type InboxMethod = 'inbox.post' | 'inbox.read';
type Handler<M extends MethodName> = (params: MethodParams<M>, context: { access: ConnectionAccess }) => MethodResult<M>;

/** Who a message is from when no task sent it: the link's label, or "local" for the daemon's own machine. */
function personLabel(access: ConnectionAccess): string {
  return access.kind === 'link' ? access.label : 'local';
}

export function createInboxHandlers({ store, publish }: InboxServices): { [M in InboxMethod]: Handler<M> } {
  return {
    'inbox.post': (params, { access }) => {
      const project = store.resolveProject(params);
      const fromLabel = params.fromTask === undefined ? personLabel(access) : undefined;
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
