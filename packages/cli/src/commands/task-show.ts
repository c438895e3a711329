// `vibe task show ID`: every field of one task, its attempts and its description.
import type { Session } from '@vibe/protocol';
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
  const { task, sessions } = await withDaemon(async ({ client }) => {
    const { task } = await client.request('task.get', ref);
    // Branches and worktrees live on the sessions; --json prints the task alone, as it always has.
    if (options.json || !task.session) return { task, sessions: [] as Session[] };
    const { sessions } = await client.request('session.list', { project: task.project });
    return { task, sessions: sessions.filter((session) => session.taskNumber === task.number) };
  });
  if (options.json) printJson(task);
  else printLines(formatTaskDetail(task, stdoutPalette(), { sessions }));
}
