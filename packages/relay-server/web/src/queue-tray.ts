// The offline queue, shown: what waits for the connection, what was applied, and what the daemon refused and
// why — in a small tray at the bottom of the page, gone when there is nothing to say.
import { h } from './dom.js';
import type { OfflineQueue } from './offline-queue.js';

export function renderQueue(queue: OfflineQueue, dismiss: (id: string) => void): HTMLElement | undefined {
  const shown = queue.list.filter((action) => action.state !== 'applied');
  if (shown.length === 0) return undefined;
  return h(
    'section',
    { class: 'queue', 'aria-label': 'Queued actions' },
    h('strong', {}, `${queue.pending.length} waiting for the connection`),
    h(
      'ul',
      {},
      ...shown.map((action) =>
        h(
          'li',
          { class: `queued queued-${action.state}`, 'data-queued': action.id },
          h('span', {}, action.label),
          action.state === 'rejected'
            ? h('span', { class: 'error' }, ` — not applied: ${action.reason ?? ''} `, h('button', { class: 'link-button', type: 'button', onclick: () => dismiss(action.id) }, 'dismiss'))
            : h('span', { class: 'muted' }, action.state === 'applying' ? ' — sending…' : action.reason ? ` — pending (${action.reason})` : ' — pending'),
        ),
      ),
    ),
  );
}
