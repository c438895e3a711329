// `vibe task start ID`: a new attempt — worktree, branch, setup, the agent in a session — and how to watch it.
import type { Session } from '@vibe/protocol';
import { withDaemon } from '../daemon-connection.js';
import { escapeText } from '../escape.js';
import { printJson, printLines, say } from '../output.js';
import { formatSessionSummary } from '../session-format.js';
import { taskName } from '../task-format.js';
import { taskRef } from '../task-ref.js';
import { stderrPalette, stdoutPalette } from '../terminal.js';

export interface TaskStartOptions {
  agent?: string;
  project?: string;
  json?: boolean;
}

export async function taskStart(id: string, options: TaskStartOptions): Promise<void> {
  const ref = taskRef(id, options);
  const { session } = await withDaemon(({ client }) =>
    client.request('task.start', { ...ref, ...(options.agent !== undefined && { agent: options.agent }) }),
  );
  if (options.json) {
    printJson({ session });
    return;
  }
  printLines(formatSessionSummary(session, stdoutPalette()));
  say(startedMessage(session, id));
}

/** "started myapp#3 — `vibe attach 3` to watch it, Ctrl-] to come back", with the id as the user wrote it. */
export function startedMessage(session: Session, id: string): string {
  const colors = stderrPalette();
  return `started ${taskName({ project: session.project, number: session.taskNumber })} — ${colors.bold(`vibe attach ${escapeText(shellWord(id))}`)} to watch it`;
}

/** The id as a shell word: `#3` would start a comment, and a project name may hold spaces. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_.,:@%+=/-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
