// Agents waiting for the user: counted in the tab title, and announced by a browser notification where the
// page may show one (a secure context whose user allowed it) — the moment an agent starts waiting.
import type { Session } from '@vibe/protocol';
import type { BoardState, TaskSession } from './board-state.js';

const BASE_TITLE = 'vibe';

export function waitingCount(state: BoardState): number {
  let count = 0;
  for (const task of state.tasks.values()) if (task.session?.state === 'waiting') count++;
  return count;
}

export function updateTitle(state: BoardState, project: string | undefined): void {
  const waiting = waitingCount(state);
  document.title = `${waiting > 0 ? `(${waiting}) ` : ''}${project ? `${project} · ` : ''}${BASE_TITLE}`;
}

export function notificationsPossible(): boolean {
  return window.isSecureContext && 'Notification' in window;
}

/** Shows a notification when a session starts waiting; tapping it opens that task's terminal. */
export function watchAttention(state: BoardState, open: (project: string, number: number) => void): void {
  state.onSession((session: Session, before: TaskSession | null | undefined) => {
    if (session.state !== 'waiting' || before?.state === 'waiting') return;
    if (!notificationsPossible() || Notification.permission !== 'granted' || document.visibilityState === 'visible') return;
    const task = state.task(session.project, session.taskNumber);
    const notification = new Notification(`${session.agent} is waiting for you`, {
      body: `#${session.taskNumber} ${task?.title ?? ''} — ${session.project}`,
      tag: `vibe-${session.id}`,
      icon: 'icon-192.png',
    });
    notification.onclick = () => {
      window.focus();
      open(session.project, session.taskNumber);
      notification.close();
    };
  });
}
