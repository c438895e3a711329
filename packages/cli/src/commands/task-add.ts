// `vibe task add "TITLE"`: creates a task in todo and prints its id.
import { withDaemon } from '../daemon-connection.js';
import { UsageError } from '../errors.js';
import { printJson, printLine, say } from '../output.js';
import { descriptionValue } from '../stdin.js';
import { taskName } from '../task-format.js';

export interface TaskAddOptions {
  description?: string;
  agent?: string;
  project?: string;
  json?: boolean;
}

export async function taskAdd(title: string, options: TaskAddOptions): Promise<void> {
  if (title.trim() === '') throw new UsageError('the task title must not be empty');
  const description = await descriptionValue(options.description);
  const { task } = await withDaemon(({ client }) =>
    client.request('task.create', {
      title,
      cwd: process.cwd(),
      ...(options.project !== undefined && { project: options.project }),
      ...(description !== undefined && { description }),
      ...(options.agent !== undefined && { agent: options.agent }),
    }),
  );
  if (options.json) {
    printJson(task);
    return;
  }
  printLine(String(task.number));
  say(`created ${taskName(task)}`);
}
