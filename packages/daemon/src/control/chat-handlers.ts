// Serves the chat methods (protocol 1.5): the sender is the connection's own identity, never one the client
// names, and a new message reaches every subscriber that announced `chat` as a live chat.posted event. A link
// (even a view-only one may chat) posts at most CHAT_BURST messages at once and CHAT_RATE a second after that,
// so nobody holding a link can fill the owner's database; the owner's own machine is not limited.
import { KeyedRateLimiter, ProtocolError, type MethodName, type MethodParams, type MethodResult, type VibeEvent } from '@vibe/protocol';
import type { Store } from '../store/index.js';
import { liveEvent } from './event-hub.js';
import type { PeerIdentity } from './transport.js';

export interface ChatServices {
  store: Store;
  publish(event: VibeEvent): void;
  /** Tests move the rate limit's clock. */
  now?: () => number;
}

export const CHAT_BURST = 20;
export const CHAT_RATE = 0.5;

type ChatMethod = 'chat.post' | 'chat.list';
type Handler<M extends MethodName> = (params: MethodParams<M>, context: { peer: PeerIdentity }) => MethodResult<M>;

export function createChatHandlers({ store, publish, now }: ChatServices): { [M in ChatMethod]: Handler<M> } {
  const limiter = new KeyedRateLimiter(CHAT_RATE, CHAT_BURST, now);
  return {
    'chat.post': (params, { peer }) => {
      const project = store.resolveProject(params);
      const from = { label: peer.label, kind: peer.kind };
      // Counted only for a new message: a retry of one already stored is answered as a duplicate, never busy.
      const admit = (): void => {
        if (peer.kind === 'local' || limiter.take(`${peer.kind}:${peer.label}`)) return;
        throw new ProtocolError('busy', `too many chat messages from ${peer.label}; wait a few seconds and send it again`);
      };
      const { message, duplicate } = store.postChat({ projectId: project.id, from, text: params.text, clientId: params.clientId }, admit);
      // A repeat was delivered the first time; pushing it again would show it twice.
      if (!duplicate) publish(liveEvent({ name: 'chat.posted', data: { message } }, store.lastEventSeq()));
      return { message, duplicate };
    },
    'chat.list': (params) => ({ messages: store.listChat(store.resolveProject(params).id, { limit: params.limit, before: params.before }) }),
  };
}
