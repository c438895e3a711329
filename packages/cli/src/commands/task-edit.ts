// `vibe task edit ID`: changes a task's title, description or agent.
import { withDaemon } from '../daemon-connection.js';
import { UsageError } from '../errors.js';
import { printJson, say } from '../output.js';
import { descriptionValue } from '../stdin.js';
import { taskName } from '../task-format.js';
import { taskRef } from '../task-ref.js';
import { checkTitle } from '../task-text.js';

export interface TaskEditOptions {
  title?: string;
  description?: string;
  agent?: string;
  defaultAgent?: boolean;
  project?: string;
  json?: boolean;
}

export async function taskEdit(id: string, options: TaskEditOptions): Promise<void> {
  const ref = taskRef(id, options);
  if (options.title === undefined && options.description === undefined && options.agent === undefined && !options.defaultAgent) {
    throw new UsageError('nothing to change: give --title, --description, --agent or --default-agent');
  }
  if (options.agent !== undefined && options.defaultAgent) throw new UsageError('--agent and --default-agent cannot be used together');
  if (options.title !== undefined) checkTitle(options.title);
  const description = await descriptionValue(options.description);
  const { task } = await withDaemon(({ client }) =>
    client.request('task.update', {
      ...ref,
      ...(options.title !== undefined && { title: options.title }),
      ...(description !== undefined && { description }),
      ...(options.agent !== undefined && { agent: options.agent }),
      ...(options.defaultAgent && { agent: null }),
    }),
  );
  if (options.json) printJson(task);
  else say(`updated ${taskName(task)}`);
}
