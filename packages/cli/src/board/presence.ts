// Who watches a task's session, as the board shows it: a mark on the card (how many, and whether one of them
// types) and, for the selected card, a line naming them. Pure functions of the board's state.
import type { Task, Viewer } from '@vibe/protocol';
import { escapeText } from '../escape.js';
import type { BoardState } from './model.js';

const NOBODY: readonly Viewer[] = [];

/** The viewers of the task's newest session while it runs; nobody once it has exited (or before it starts). */
export function watchersOf(state: Pick<BoardState, 'viewers'>, task: Task): readonly Viewer[] {
  if (!task.session || task.session.state === 'exited') return NOBODY;
  return state.viewers.get(task.session.id) ?? NOBODY;
}

/** "◉2", "◉1✎" while one of them types; empty when nobody watches. */
export function watchMark(viewers: readonly Viewer[]): string {
  if (viewers.length === 0) return '';
  return `◉${viewers.length}${viewers.some((viewer) => viewer.typing) ? '✎' : ''}`;
}

/** "◉ #3 watched by dev (terminal on Linux) ✎ typing, alice (Safari on iPhone, view-only)". */
export function watchLine(taskNumber: number, viewers: readonly Viewer[]): string {
  const names = viewers.map((viewer) => {
    // The client's name and version add nothing a person needs here; the device they sit at does.
    const device = escapeText(viewer.device.replace(/ \([^()]*\)$/, ''));
    const about = viewer.readOnly ? `${device}, view-only` : device;
    return `${escapeText(viewer.label)} (${about})${viewer.typing ? ' ✎ typing' : ''}`;
  });
  return `◉ #${taskNumber} watched by ${names.join(', ')}`;
}
