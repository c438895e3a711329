// `vibe task add "TITLE"`: creates a task in todo and prints its id; with --start, starts it too.
import { ProtocolError, type Task } from '@vibe/protocol';
import { currentDirectory } from '../cwd.js';
import { withDaemon } from '../daemon-connection.js';
import { printJson, printLine, say } from '../output.js';
import { descriptionValue } from '../stdin.js';
import { taskName } from '../task-format.js';
import { checkTitle } from '../task-text.js';
import { startedMessage } from './task-start.js';

export interface TaskAddOptions {
  description?: string;
  agent?: string;
  project?: string;
  start?: boolean;
  json?: boolean;
}

/**
 * Prints the new task's number on stdout whatever else happens, so `id=$(vibe task add … --start)` works;
 * with --json, one document: the task, or `{ task, session }` with --start.
 */
export async function taskAdd(title: string, options: TaskAddOptions): Promise<void> {
  checkTitle(title);
  const cwd = currentDirectory();
  const description = await descriptionValue(options.description);
  const { task, session } = await withDaemon(async ({ client }) => {
    const { task } = await client.request('task.create', {
      title,
      cwd,
      ...(options.project !== undefined && { project: options.project }),
      ...(description !== undefined && { description }),
      ...(options.agent !== undefined && { agent: options.agent }),
    });
    if (!options.start) return { task, session: undefined };
    if (!options.json) announce(task);
    try {
      const { session } = await client.request('task.start', { project: task.project, number: task.number });
      return { task, session };
    } catch (error) {
      throw notStarted(task, error);
    }
  });
  if (options.json) {
    printJson(session ? { task, session } : task);
    return;
  }
  if (!session) announce(task);
  // The id for `vibe attach`: the bare number works from this directory unless another project was named.
  else say(startedMessage(session, options.project === undefined ? String(task.number) : `${task.project}#${task.number}`));
}

function announce(task: Task): void {
  printLine(String(task.number));
  say(`created ${taskName(task)}`);
}

/** A failed start after a successful create: the same error (and exit code), saying the task exists. */
function notStarted(task: Task, error: unknown): unknown {
  if (!(error instanceof ProtocolError)) return error;
  return new ProtocolError(error.code, `${taskName(task)} was created but did not start: ${error.message}`, error.data, { cause: error });
}
