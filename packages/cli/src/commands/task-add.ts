// `vibe task add "TITLE"`: creates a task in todo and prints its id.
import { currentDirectory } from '../cwd.js';
import { withDaemon } from '../daemon-connection.js';
import { printJson, printLine, say } from '../output.js';
import { descriptionValue } from '../stdin.js';
import { taskName } from '../task-format.js';
import { checkTitle } from '../task-text.js';

export interface TaskAddOptions {
  description?: string;
  agent?: string;
  project?: string;
  json?: boolean;
}

export async function taskAdd(title: string, options: TaskAddOptions): Promise<void> {
  checkTitle(title);
  const cwd = currentDirectory();
  const description = await descriptionValue(options.description);
  const { task } = await withDaemon(({ client }) =>
    client.request('task.create', {
      title,
      cwd,
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
