// `vibe task stop ID`: stops the task's running sessions (gracefully, then by force); worktrees stay.
import { stateText } from '../agent-state-format.js';
import { withDaemon } from '../daemon-connection.js';
import { escapeText } from '../escape.js';
import { printJson, say } from '../output.js';
import { taskName } from '../task-format.js';
import { taskRef } from '../task-ref.js';

export interface TaskStopOptions {
  project?: string;
  json?: boolean;
}

export async function taskStop(id: string, options: TaskStopOptions): Promise<void> {
  const ref = taskRef(id, options);
  const result = await withDaemon(({ client }) => client.request('task.stop', ref));
  if (options.json) {
    printJson(result);
    return;
  }
  if (result.sessions.length === 0) {
    say(`nothing to stop: task ${escapeText(id)} has no running session`);
    return;
  }
  for (const session of result.sessions) {
    const name = taskName({ project: session.project, number: session.taskNumber });
    say(`stopped ${name} (session ${session.id}, ${stateText(session)}); worktree kept at ${escapeText(session.worktree)}`);
  }
}
