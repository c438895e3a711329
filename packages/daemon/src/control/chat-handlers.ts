// Serves the chat methods (protocol 1.5): the sender is the connection's own identity, never one the client
// names, and a new message reaches every subscriber that announced `chat` as a live chat.posted event.
import type { MethodName, MethodParams, MethodResult, VibeEvent } from '@vibe/protocol';
import type { Store } from '../store/index.js';
import { liveEvent } from './event-hub.js';
import type { PeerIdentity } from './transport.js';

export interface ChatServices {
  store: Store;
  publish(event: VibeEvent): void;
}

type ChatMethod = 'chat.post' | 'chat.list';
type Handler<M extends MethodName> = (params: MethodParams<M>, context: { peer: PeerIdentity }) => MethodResult<M>;

export function createChatHandlers({ store, publish }: ChatServices): { [M in ChatMethod]: Handler<M> } {
  return {
    'chat.post': (params, { peer }) => {
      const project = store.resolveProject(params);
      const from = { label: peer.label, kind: peer.kind };
      const { message, duplicate } = store.postChat({ projectId: project.id, from, text: params.text, clientId: params.clientId });
      // A repeat was delivered the first time; pushing it again would show it twice.
      if (!duplicate) publish(liveEvent({ name: 'chat.posted', data: { message } }, store.lastEventSeq()));
      return { message, duplicate };
    },
    'chat.list': (params) => ({ messages: store.listChat(store.resolveProject(params).id, { limit: params.limit, before: params.before }) }),
  };
}
