// `vibe task rm ID`: deletes a task (its number is never reused).
import { withDaemon } from '../daemon-connection.js';
import { printJson, say } from '../output.js';
import { taskName } from '../task-format.js';
import { taskRef } from '../task-ref.js';

export interface TaskRmOptions {
  project?: string;
  json?: boolean;
}

export async function taskRm(id: string, options: TaskRmOptions): Promise<void> {
  const ref = taskRef(id, options);
  const { task } = await withDaemon(({ client }) => client.request('task.remove', ref));
  if (options.json) printJson(task);
  else say(`removed ${taskName(task)}`);
}
