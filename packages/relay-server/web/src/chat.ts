// The project's chat beside the board (a panel on wide screens, a sheet on phones): the newest messages with
// who wrote them, live as they are posted, and a box to write — through the offline queue, so a message
// written while the daemon is away is posted once when it is back, shown as pending until then.
import type { ChatMessage, ControlClient } from '@vibe/protocol';
import { ago, h, replace } from './dom.js';
import type { QueuedAction } from './offline-queue.js';

export interface ChatPanelOptions {
  client: () => ControlClient | undefined;
  post(project: string, text: string): void;
  /** Chat posts still queued, to show as pending. */
  pending(): readonly QueuedAction[];
  close(): void;
}

export class ChatPanel {
  readonly element: HTMLElement;
  private readonly list = h('ol', { class: 'chat-messages', 'aria-live': 'polite' });
  private readonly input = h('textarea', { name: 'chat', rows: 2, maxlength: 4000, placeholder: 'Message the project…', 'aria-label': 'Chat message' });
  private messages: ChatMessage[] = [];
  private project: string | undefined;
  unread = 0;
  open = false;

  constructor(private readonly options: ChatPanelOptions) {
    const send = (event: Event): void => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text || !this.project) return;
      this.options.post(this.project, text);
      this.input.value = '';
      this.render();
    };
    this.input.addEventListener('keydown', (event) => {
      // Enter sends, Shift+Enter is a new line — as in every chat.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) send(event);
    });
    this.element = h(
      'aside',
      { class: 'chat', 'aria-label': 'Project chat' },
      h('div', { class: 'chat-head' }, h('strong', {}, 'Chat'), h('button', { class: 'button button-small chat-close', type: 'button', onclick: () => this.options.close() }, 'Close')),
      this.list,
      h('form', { class: 'chat-form', onsubmit: send }, this.input, h('button', { class: 'button button-primary', type: 'submit' }, 'Send')),
    );
  }

  /** Shows `project`'s chat, fetched afresh (also after every reconnect). */
  async load(project: string | undefined): Promise<void> {
    this.project = project;
    const client = this.options.client();
    if (!project || !client) return this.render();
    try {
      const { messages } = await client.request('chat.list', { project, limit: 100 });
      if (this.project === project) this.messages = messages;
    } catch {
      // A daemon before protocol 1.5 has no chat: the panel stays empty.
      this.messages = [];
    }
    this.render();
  }

  received(message: ChatMessage): void {
    if (message.project !== this.project || this.messages.some((known) => known.id === message.id)) return;
    this.messages.push(message);
    if (!this.open) this.unread++;
    this.render();
  }

  render(): void {
    const pending = this.options.pending().filter((action) => action.method === 'chat.post' && action.params.project === this.project && action.state !== 'applied');
    replace(
      this.list,
      ...(this.messages.length === 0 && pending.length === 0 ? [h('li', { class: 'muted' }, 'No messages yet.')] : []),
      ...this.messages.map((message) =>
        h(
          'li',
          { class: `chat-message chat-${message.from.kind}` },
          h('div', { class: 'chat-meta' }, h('strong', {}, message.from.label), message.from.kind === 'view' ? ' (view only)' : '', h('span', { class: 'muted' }, ` · ${ago(message.at)}`)),
          h('div', { class: 'chat-text' }, message.text),
        ),
      ),
      ...pending.map((action) =>
        h(
          'li',
          { class: `chat-message chat-pending${action.state === 'rejected' ? ' chat-rejected' : ''}` },
          h('div', { class: 'chat-meta' }, h('strong', {}, 'you'), h('span', { class: 'muted' }, action.state === 'rejected' ? ` · not sent: ${action.reason ?? ''}` : ' · pending — sent when the connection is back')),
          h('div', { class: 'chat-text' }, String(action.params.text)),
        ),
      ),
    );
    this.list.scrollTop = this.list.scrollHeight;
  }
}
