// `vibe task rebase ID`: brings an attempt up to date with its base; conflicts are undone or handed to the agent.
import { attemptRef, type AttemptOptions } from '../attempt-ref.js';
import { withDaemon } from '../daemon-connection.js';
import { CliError } from '../errors.js';
import { escapeText } from '../escape.js';
import { printJson, say } from '../output.js';
import { shellWord } from './task-start.js';

export interface TaskRebaseOptions extends AttemptOptions {
  askAgent?: boolean;
  json?: boolean;
}

/** Exit 0 when rebased, already up to date or handed to the agent; 1 for a conflict that was undone. */
export async function taskRebase(id: string, options: TaskRebaseOptions): Promise<void> {
  const ref = attemptRef(id, options);
  const result = await withDaemon(({ client }) => client.request('task.rebase', { ...ref, ...(options.askAgent && { askAgent: true }) }));
  const name = `task ${escapeText(id)}`;
  const files = result.files.map((file) => `  ${escapeText(file)}`);
  if (options.json) printJson(result);
  switch (result.outcome) {
    case 'rebased':
      if (!options.json) say(`rebased ${name} onto its base branch`);
      return;
    case 'up_to_date':
      if (!options.json) say(`${name} is already up to date with its base branch`);
      return;
    case 'handed_to_agent':
      if (!options.json) say([`the rebase of ${name} stopped on conflicts; the agent was asked to resolve them in:`, ...files].join('\n'));
      return;
    case 'conflict': {
      const hint = `to hand the conflict to the agent: vibe task rebase ${escapeText(shellWord(id))} --ask-agent`;
      throw new CliError([`rebasing ${name} conflicts; nothing was changed. Conflicting files:`, ...files, hint].join('\n'));
    }
  }
}
