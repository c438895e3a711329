// `vibe task log ID`: the task's history — edits, moves, attempts and agent states, reviews, merges.
import { withDaemon } from '../daemon-connection.js';
import { formatTaskLog } from '../log-format.js';
import { printJson, printLines } from '../output.js';
import { taskRef } from '../task-ref.js';
import { colorEnabled, palette, terminalWidth } from '../terminal.js';

export interface TaskLogOptions {
  project?: string;
  json?: boolean;
}

export async function taskLog(id: string, options: TaskLogOptions): Promise<void> {
  const ref = taskRef(id, options);
  const result = await withDaemon(({ client }) => client.request('task.log', ref));
  if (options.json) printJson(result);
  else printLines(formatTaskLog(result.entries, { colors: palette(colorEnabled(process.stdout)), width: terminalWidth(process.stdout) }));
}
