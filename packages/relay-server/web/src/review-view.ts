// Review: the attempt's changes file by file (side by side on wide screens), feedback sent to its agent, and
// the merge — with the mode, after a confirmation; conflicts are listed by file and nothing is half-applied.
import type { ControlClient, MERGE_MODES, Task } from '@vibe/protocol';
import { confirmDialog } from './dialogs.js';
import { chooseLayout, renderDiff } from './diff/index.js';
import { errorText, h, replace, toast } from './dom.js';

type MergeMode = (typeof MERGE_MODES)[number];
/** The daemon's merge modes, squash first (its default); here, not imported, because that module brings zod along. */
const MODES: readonly MergeMode[] = ['squash', 'rebase', 'merge'];

export interface ReviewOptions {
  client: () => ControlClient | undefined;
  task: Task;
  readOnly: boolean;
}

export function renderReview({ client, task, readOnly }: ReviewOptions): HTMLElement {
  const ref = { project: task.project, number: task.number };
  const body = h('div', { class: 'review-diff' }, h('p', { class: 'muted' }, 'Loading the changes…'));
  const outcome = h('div', { class: 'review-outcome', role: 'status', 'aria-live': 'polite' });

  const load = async (): Promise<void> => {
    const live = client();
    if (!live) return;
    try {
      const diff = await live.request('task.diff', ref);
      const summary = h('p', { class: 'review-summary' }, `${diff.branch} → ${diff.base} · ${diff.files.length} file${diff.files.length === 1 ? '' : 's'} changed`);
      const holder = h('div', {});
      replace(body, summary, holder);
      if (diff.files.length === 0) holder.appendChild(h('p', { class: 'muted' }, 'No changes yet.'));
      else renderDiff(holder, diff, { layout: chooseLayout(window.innerWidth) });
    } catch (error) {
      replace(body, h('p', { class: 'error' }, `Could not load the diff: ${errorText(error)}`));
    }
  };
  void load();

  const feedback = h('textarea', { name: 'feedback', rows: 3, placeholder: 'Feedback for the agent…', maxlength: 65536, 'aria-label': 'Review feedback' });
  const sendFeedback = async (event: Event): Promise<void> => {
    event.preventDefault();
    const live = client();
    const comment = feedback.value.trim();
    if (!live || !comment) return;
    try {
      const result = await live.request('task.review', { ...ref, comment });
      feedback.value = '';
      toast(result.delivered === 'sent' ? 'Feedback sent to the agent' : 'The agent had exited: started again with your feedback');
    } catch (error) {
      toast(`Feedback not sent: ${errorText(error)}`, 'error');
    }
  };

  const mode = h('select', { name: 'mode', 'aria-label': 'Merge mode' }, ...MODES.map((name) => h('option', { value: name }, name)));
  const merge = async (): Promise<void> => {
    const live = client();
    if (!live) return;
    const confirmed = await confirmDialog(`Merge #${task.number}?`, `Land “${task.title}” on the base branch (${mode.value}). The task moves to done.`, 'Merge');
    if (!confirmed) return;
    replace(outcome, 'Merging…');
    try {
      const result = await live.request('task.merge', { ...ref, mode: mode.value as MergeMode });
      replace(outcome, h('p', { class: 'ok' }, `Merged as ${result.commit.slice(0, 10)} (${result.mode}).`));
    } catch (error) {
      const files = (error as { data?: { files?: unknown } }).data?.files;
      replace(
        outcome,
        h('p', { class: 'error' }, errorText(error)),
        Array.isArray(files) && files.length > 0 && h('ul', { class: 'conflicts', 'aria-label': 'Conflicting files' }, ...files.map((file) => h('li', {}, String(file)))),
      );
    }
  };

  return h(
    'section',
    { class: 'review' },
    !readOnly &&
      h(
        'div',
        { class: 'review-actions' },
        h('form', { class: 'feedback', onsubmit: (event: Event) => void sendFeedback(event) }, feedback, h('button', { class: 'button', type: 'submit' }, 'Send feedback')),
        h('div', { class: 'merge' }, mode, h('button', { class: 'button button-primary', type: 'button', onclick: () => void merge() }, 'Merge…'), h('button', { class: 'button', type: 'button', onclick: () => void load() }, 'Refresh')),
      ),
    outcome,
    body,
  );
}
