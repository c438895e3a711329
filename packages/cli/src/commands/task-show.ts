// `vibe task show ID`: every field of one task and its description.
import { withDaemon } from '../daemon-connection.js';
import { printJson, printLines } from '../output.js';
import { formatTaskDetail } from '../task-format.js';
import { taskRef } from '../task-ref.js';
import { stdoutPalette } from '../terminal.js';

export interface TaskShowOptions {
  project?: string;
  json?: boolean;
}

export async function taskShow(id: string, options: TaskShowOptions): Promise<void> {
  const ref = taskRef(id, options);
  const { task } = await withDaemon(({ client }) => client.request('task.get', ref));
  if (options.json) printJson(task);
  else printLines(formatTaskDetail(task, stdoutPalette()));
}
