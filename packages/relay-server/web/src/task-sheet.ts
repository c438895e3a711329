// One task, opened from its card: what it is, the state of its agent, and everything one can do with it —
// open the terminal, review, files; start, stop, start again with another agent, move, edit, remove.
import { TASK_TRANSITIONS, type ControlClient, type Task, type TaskStatus } from '@vibe/protocol';
import { STATUS_LABELS, stateBadge } from './board.js';
import type { BoardState } from './board-state.js';
import { confirmDialog, taskDialog } from './dialogs.js';
import { errorText, h, toast } from './dom.js';

export interface TaskSheetOptions {
  task: Task;
  state: BoardState;
  client: () => ControlClient | undefined;
  readOnly: boolean;
  /** The files panel, kept across re-renders so uploads under way keep their progress. */
  files: HTMLElement;
  openTerminal(): void;
  openReview(): void;
  close(): void;
}

/** Runs a request from a button, saying what went wrong in a toast. */
async function act(client: ControlClient | undefined, what: string, run: (client: ControlClient) => Promise<unknown>): Promise<void> {
  if (!client) return toast('Offline: try again once the connection is back', 'error');
  try {
    await run(client);
  } catch (error) {
    toast(`${what}: ${errorText(error)}`, 'error');
  }
}

export function renderTaskSheet(options: TaskSheetOptions): HTMLElement {
  const { task, state, readOnly } = options;
  const ref = { project: task.project, number: task.number };
  const running = task.session && task.session.state !== 'exited';
  const agentChoice = h('select', { name: 'agent', 'aria-label': 'Agent to start with' }, h('option', { value: '' }, task.agent ?? (state.defaultAgent ? `default (${state.defaultAgent})` : 'default agent')));
  for (const agent of state.agents) agentChoice.appendChild(h('option', { value: agent.name }, agent.available ? agent.name : `${agent.name} (not installed)`));
  const start = (): Promise<void> =>
    act(options.client(), 'Could not start', async (client) => {
      await client.request('task.start', { ...ref, ...(agentChoice.value && { agent: agentChoice.value }) });
      options.openTerminal();
    });
  const stop = (): Promise<void> => act(options.client(), 'Could not stop', (client) => client.request('task.stop', ref));
  const move = h('select', { name: 'move', 'aria-label': 'Move to' }, h('option', { value: '' }, 'Move to…'), ...TASK_TRANSITIONS[task.status].map((status) => h('option', { value: status }, STATUS_LABELS[status])));
  move.addEventListener('change', () => {
    const status = move.value as TaskStatus;
    if (status) void act(options.client(), 'Could not move', (client) => client.request('task.move', { ...ref, status }));
  });
  const edit = async (): Promise<void> => {
    const values = await taskDialog({ task, agents: state.agents, defaultAgent: state.defaultAgent, project: task.project });
    if (values) await act(options.client(), 'Could not save', (client) => client.request('task.update', { ...ref, title: values.title, description: values.description, agent: values.agent }));
  };
  const remove = async (): Promise<void> => {
    const sure = await confirmDialog(`Remove #${task.number}?`, `“${task.title}” is deleted, with its worktrees if their work was merged. Unmerged work keeps the task from being removed.`, 'Remove', true);
    if (sure) await act(options.client(), 'Could not remove', async (client) => {
      await client.request('task.remove', ref);
      options.close();
    });
  };
  const attempts = task.attempts ?? 0;
  return h(
    'section',
    { class: 'sheet', 'data-task': task.number, 'aria-label': `Task ${task.number}` },
    h('div', { class: 'sheet-head' }, h('h2', {}, h('span', { class: 'card-number' }, `#${task.number} `), task.title), stateBadge(task)),
    h('p', { class: 'muted' }, `${STATUS_LABELS[task.status]} · ${task.session?.agent ?? task.agent ?? 'default agent'} · ${attempts} attempt${attempts === 1 ? '' : 's'}`),
    task.description && h('p', { class: 'description' }, task.description),
    h(
      'div',
      { class: 'sheet-actions' },
      task.session && h('button', { class: 'button button-primary', type: 'button', 'data-action': 'terminal', onclick: options.openTerminal }, 'Terminal'),
      task.session && h('button', { class: 'button', type: 'button', 'data-action': 'review', onclick: options.openReview }, 'Review'),
    ),
    !readOnly &&
      h(
        'div',
        { class: 'sheet-actions' },
        running
          ? h('button', { class: 'button', type: 'button', 'data-action': 'stop', onclick: () => void stop() }, 'Stop')
          : h('span', { class: 'start' }, agentChoice, h('button', { class: 'button button-primary', type: 'button', 'data-action': 'start', onclick: () => void start() }, attempts > 0 ? 'Start again' : 'Start')),
        TASK_TRANSITIONS[task.status].length > 0 && move,
        h('button', { class: 'button', type: 'button', 'data-action': 'edit', onclick: () => void edit() }, 'Edit'),
        h('button', { class: 'button button-danger', type: 'button', 'data-action': 'remove', onclick: () => void remove() }, 'Remove'),
      ),
    task.session && h('details', { class: 'files-details' }, h('summary', {}, 'Files'), options.files),
  );
}
