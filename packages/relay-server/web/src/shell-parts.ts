// Small pieces of the page's shell: the connection badge (with its countdown) and the terminal's copy and
// paste, which fall back to the old ways where the clipboard API is missing (a page that is not a secure context).
import type { ConnectionState } from './connection.js';
import { h, toast } from './dom.js';
import type { TerminalView } from './terminal-view.js';

export function connectionBadge(state: ConnectionState, retry: () => void): HTMLElement {
  switch (state.kind) {
    case 'connecting':
      return h('span', { class: 'conn conn-connecting', 'data-state': 'connecting' }, 'connecting…');
    case 'live':
      return h('span', { class: 'conn conn-live', 'data-state': 'live' }, 'live');
    case 'reconnecting': {
      const badge = h('span', { class: 'conn conn-reconnecting', 'data-state': 'reconnecting', title: state.reason }, '');
      const tick = (): void => {
        if (!badge.isConnected && badge.textContent) return;
        badge.textContent = `reconnecting in ${Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000))} s`;
        if (Date.now() < state.retryAt) setTimeout(tick, 250);
      };
      tick();
      return badge;
    }
    case 'offline':
      return h('span', { class: 'conn conn-offline', 'data-state': 'offline', title: state.reason }, 'offline ', h('button', { class: 'button button-small', type: 'button', onclick: retry }, 'Retry'));
    case 'failed':
      return h('span', { class: 'conn conn-offline', 'data-state': 'failed' }, state.title);
  }
}

export async function copy(text: string): Promise<void> {
  if (!text) return toast('Select text in the terminal first');
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied');
  } catch {
    // No clipboard API outside a secure context: the old way still works from a click.
    const area = h('textarea', {});
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
    toast('Copied');
  }
}

export async function paste(terminal: TerminalView): Promise<void> {
  try {
    terminal.paste(await navigator.clipboard.readText());
  } catch {
    const text = window.prompt('Paste the text to type into the terminal');
    if (text) terminal.paste(text);
  }
  terminal.focus();
}
