// Who watches a session: a chip per viewer (link label and device), marked while they type and when they
// only watch — above the terminal, so the owner and teammates see one another.
import type { Viewer } from '@vibe/protocol';
import { h } from './dom.js';

export function renderViewers(viewers: Viewer[]): HTMLElement | undefined {
  if (viewers.length === 0) return undefined;
  return h(
    'div',
    { class: 'viewers', 'aria-label': 'Watching this session' },
    h('span', { class: 'muted' }, 'Watching:'),
    ...viewers.map((viewer) =>
      h(
        'span',
        { class: `viewer${viewer.typing ? ' viewer-typing' : ''}`, title: viewer.device, 'data-viewer': viewer.label },
        viewer.label,
        viewer.readOnly && h('span', { class: 'muted' }, ' (watching)'),
        viewer.typing && h('span', { class: 'typing' }, ' typing…'),
      ),
    ),
  );
}
