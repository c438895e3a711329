// Modal dialogs on the native <dialog> element: confirmations, and the task form used to create and to edit.
import type { Task } from '@vibe/protocol';
import type { AgentChoice } from './board-state.js';
import { h } from './dom.js';

/** Asks a yes/no question; resolves true only on the confirming button. */
export function confirmDialog(title: string, text: string, confirmLabel: string, danger = false): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-label': title },
      h(
        'form',
        { method: 'dialog' },
        h('h2', {}, title),
        h('p', {}, text),
        h('div', { class: 'dialog-buttons' }, h('button', { value: 'cancel', type: 'submit', class: 'button' }, 'Cancel'), h('button', { value: 'ok', type: 'submit', class: `button ${danger ? 'button-danger' : 'button-primary'}` }, confirmLabel)),
      ),
    );
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

export interface TaskFormValues {
  title: string;
  description: string;
  agent: string | null;
  start: boolean;
}

/** The create / edit form. Resolves with the values, or undefined when cancelled. */
export function taskDialog(options: { task?: Task; agents: AgentChoice[]; defaultAgent?: string; project: string }): Promise<TaskFormValues | undefined> {
  const { task, agents, defaultAgent } = options;
  const title = h('input', { name: 'title', required: true, maxlength: 500, autocomplete: 'off', value: task?.title ?? '', placeholder: 'What should the agent do?' });
  const description = h('textarea', { name: 'description', rows: 5, maxlength: 65536, placeholder: 'Details, acceptance criteria… (optional)' });
  description.value = task?.description ?? '';
  const agent = h('select', { name: 'agent' }, h('option', { value: '' }, defaultAgent ? `Default (${defaultAgent})` : 'Default agent'));
  for (const choice of agents) agent.appendChild(h('option', { value: choice.name }, choice.available ? choice.name : `${choice.name} (not installed)`));
  if (task?.agent && !agents.some((choice) => choice.name === task.agent)) agent.appendChild(h('option', { value: task.agent }, task.agent));
  agent.value = task?.agent ?? '';
  const start = h('input', { type: 'checkbox', name: 'start', checked: !task });
  const dialog = h(
    'dialog',
    { class: 'dialog dialog-form', 'aria-label': task ? `Edit task ${task.number}` : 'New task' },
    h(
      'form',
      { method: 'dialog' },
      h('h2', {}, task ? `Edit #${task.number}` : `New task in ${options.project}`),
      h('label', {}, 'Title', title),
      h('label', {}, 'Description', description),
      h('label', {}, 'Agent', agent),
      !task && h('label', { class: 'check' }, start, 'Start it now'),
      h('div', { class: 'dialog-buttons' }, h('button', { value: 'cancel', type: 'submit', class: 'button', formnovalidate: true }, 'Cancel'), h('button', { value: 'ok', type: 'submit', class: 'button button-primary' }, task ? 'Save' : 'Create')),
    ),
  );
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (dialog.returnValue !== 'ok' || !title.value.trim()) return resolve(undefined);
      resolve({ title: title.value.trim(), description: description.value, agent: agent.value || null, start: start.checked });
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    title.focus();
  });
}
