// `vibe task mv ID STATUS`: moves a task along a legal transition.
import { withDaemon } from '../daemon-connection.js';
import { printJson, say } from '../output.js';
import { parseStatus } from '../statuses.js';
import { taskName } from '../task-format.js';
import { taskRef } from '../task-ref.js';

export interface TaskMvOptions {
  project?: string;
  json?: boolean;
}

export async function taskMv(id: string, status: string, options: TaskMvOptions): Promise<void> {
  const ref = taskRef(id, options);
  const to = parseStatus(status);
  // A move to the current status never comes back: the daemon refuses it as illegal_transition.
  const result = await withDaemon(({ client }) => client.request('task.move', { ...ref, status: to }));
  if (options.json) printJson(result);
  else say(`moved ${taskName(result.task)} from ${result.from} to ${result.task.status}`);
}
