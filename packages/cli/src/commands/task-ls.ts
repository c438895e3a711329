// `vibe task ls`: the tasks of this project (or all projects) as a table, or `{ "tasks": [...] }` with --json.
import { currentDirectory } from '../cwd.js';
import { withDaemon } from '../daemon-connection.js';
import { escapeText } from '../escape.js';
import { printJson, printLines, say } from '../output.js';
import { parseStatusList } from '../statuses.js';
import { formatTaskTable } from '../task-format.js';
import { stdoutPalette, terminalWidth } from '../terminal.js';

export interface TaskLsOptions {
  status?: string[];
  allProjects?: boolean;
  project?: string;
  json?: boolean;
}

export async function taskLs(options: TaskLsOptions): Promise<void> {
  const statuses = parseStatusList(options.status ?? []);
  const cwd = currentDirectory();
  const result = await withDaemon(({ client }) =>
    client.request('task.list', {
      cwd,
      ...(options.project !== undefined && { project: options.project }),
      ...(statuses.length > 0 && { status: statuses }),
      ...(options.allProjects && { allProjects: true }),
    }),
  );
  if (options.json) {
    printJson(result);
    return;
  }
  if (result.tasks.length === 0) {
    const where = options.allProjects ? 'in any project' : options.project ? `in ${escapeText(options.project)}` : 'in this project';
    if (statuses.length > 0) say(`no tasks with status ${statuses.join(' or ')} ${where}`);
    else say(`no tasks ${where} yet — add one with \`vibe task add "TITLE"\``);
    return;
  }
  printLines(
    formatTaskTable(result.tasks, {
      colors: stdoutPalette(),
      showProject: options.allProjects === true,
      width: terminalWidth(process.stdout),
    }),
  );
}
