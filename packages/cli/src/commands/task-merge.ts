// `vibe task merge ID`: lands an attempt on its base branch — all or nothing — and reports the commit.
import { withConflictFiles } from '../conflict-files.js';
import { attemptRef, type AttemptOptions } from '../attempt-ref.js';
import { withDaemon } from '../daemon-connection.js';
import { escapeText } from '../escape.js';
import { printJson, say } from '../output.js';
import { checkMessage, mergeMode, type MergeModeFlags } from '../merge-mode.js';
import { taskName } from '../task-format.js';

export interface TaskMergeOptions extends AttemptOptions, MergeModeFlags {
  message?: string;
  keepBranch?: boolean;
  force?: boolean;
  json?: boolean;
}

export async function taskMerge(id: string, options: TaskMergeOptions): Promise<void> {
  const mode = mergeMode(options);
  const message = options.message === undefined ? undefined : checkMessage(options.message);
  const ref = attemptRef(id, options);
  const { result, base } = await withDaemon(async ({ client }) => {
    let result;
    try {
      result = await client.request('task.merge', {
        ...ref,
        ...(mode !== undefined && { mode }),
        ...(message !== undefined && { message }),
        ...(options.keepBranch && { keepBranch: true }),
        ...(options.force && { force: true }),
      });
    } catch (error) {
      // The daemon's message already says nothing was changed and what to run next; the files go under it.
      throw withConflictFiles(error);
    }
    if (options.json) return { result, base: undefined };
    // The result does not name the base branch; the project does (a missing one only shortens the message).
    const { projects } = await client.request('project.list', {}).catch(() => ({ projects: [] }));
    return { result, base: projects.find((project) => project.name === result.task.project)?.baseBranch };
  });
  if (options.json) {
    printJson(result);
    return;
  }
  const into = base === undefined ? 'its base branch' : escapeText(base);
  say(`merged ${taskName(result.task)} into ${into} (${result.mode}, ${escapeText(result.commit.slice(0, 7))})`);
}
