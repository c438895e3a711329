// The key bar under a terminal on a phone: the keys an on-screen keyboard lacks. Ctrl and Alt are sticky —
// tap Ctrl, then a letter — and light up while armed. Buttons never take focus, so the keyboard stays open.
import { h } from './dom.js';

export interface KeyTarget {
  /** Sends bytes as typed input. */
  send(data: string): void;
  /** Whether the program asked for application cursor keys (ESC O A rather than ESC [ A). */
  applicationCursor(): boolean;
  focus(): void;
}

export class Modifiers {
  ctrl = false;
  alt = false;
  private readonly listeners = new Set<() => void>();

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  toggle(which: 'ctrl' | 'alt'): void {
    this[which] = !this[which];
    this.changed();
  }

  /** Applies armed modifiers to typed text (one keystroke's worth), then disarms them. */
  apply(data: string): string {
    if (!this.ctrl && !this.alt) return data;
    let out = data;
    if (this.ctrl && data.length === 1) out = ctrlOf(data);
    if (this.alt) out = `\x1b${out}`;
    this.ctrl = false;
    this.alt = false;
    this.changed();
    return out;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Ctrl+key as a terminal sends it: letters and @[\]^_ to C0 controls, space to NUL, ? to DEL. */
export function ctrlOf(key: string): string {
  const code = key.toUpperCase().charCodeAt(0);
  if (code >= 0x40 && code <= 0x5f) return String.fromCharCode(code - 0x40);
  if (key === ' ') return '\x00';
  if (key === '?') return '\x7f';
  return key;
}

export function arrow(direction: 'A' | 'B' | 'C' | 'D', application: boolean): string {
  return application ? `\x1bO${direction}` : `\x1b[${direction}`;
}

export function renderKeyBar(target: KeyTarget, modifiers: Modifiers): HTMLElement {
  const key = (label: string, title: string, press: () => void, extra: Record<string, string> = {}): HTMLButtonElement =>
    h('button', {
      class: 'key',
      type: 'button',
      title,
      'aria-label': title,
      tabindex: -1,
      ...extra,
      // pointerdown, not click: the terminal keeps focus and the on-screen keyboard stays up.
      onpointerdown: (event: Event) => {
        event.preventDefault();
        press();
        target.focus();
      },
    }, label);
  const ctrl = key('Ctrl', 'Ctrl (then a key)', () => modifiers.toggle('ctrl'), { 'data-key': 'ctrl' });
  const alt = key('Alt', 'Alt (then a key)', () => modifiers.toggle('alt'), { 'data-key': 'alt' });
  modifiers.onChange(() => {
    ctrl.classList.toggle('armed', modifiers.ctrl);
    alt.classList.toggle('armed', modifiers.alt);
  });
  const send = (data: string) => () => target.send(modifiers.apply(data));
  const move = (direction: 'A' | 'B' | 'C' | 'D') => () => target.send(modifiers.apply(arrow(direction, target.applicationCursor())));
  return h(
    'div',
    { class: 'keybar', role: 'toolbar', 'aria-label': 'Terminal keys' },
    key('Esc', 'Escape', send('\x1b'), { 'data-key': 'esc' }),
    key('Tab', 'Tab', send('\t'), { 'data-key': 'tab' }),
    ctrl,
    alt,
    key('^C', 'Ctrl-C (interrupt)', () => target.send('\x03'), { 'data-key': 'ctrl-c' }),
    key('↑', 'Up (history)', move('A'), { 'data-key': 'up' }),
    key('↓', 'Down', move('B'), { 'data-key': 'down' }),
    key('←', 'Left', move('D'), { 'data-key': 'left' }),
    key('→', 'Right', move('C'), { 'data-key': 'right' }),
    key('⏎', 'Enter', send('\r'), { 'data-key': 'enter' }),
  );
}
