// `vibe ps`: every session — task, agent, state, process, CPU, memory, last activity — as a table or JSON.
import { currentDirectory } from '../cwd.js';
import { withDaemon } from '../daemon-connection.js';
import { escapeText } from '../escape.js';
import { printJson, printLines, say } from '../output.js';
import { formatSessionTable } from '../session-format.js';
import { stdoutPalette } from '../terminal.js';

export interface PsOptions {
  allProjects?: boolean;
  running?: boolean;
  project?: string;
  json?: boolean;
}

export async function ps(options: PsOptions): Promise<void> {
  const cwd = currentDirectory();
  const result = await withDaemon(({ client }) =>
    client.request('session.list', {
      cwd,
      ...(options.project !== undefined && { project: options.project }),
      ...(options.allProjects && { allProjects: true }),
      ...(options.running && { running: true }),
    }),
  );
  if (options.json) {
    printJson(result);
    return;
  }
  if (result.sessions.length === 0) {
    const where = options.allProjects ? 'in any project' : options.project ? `in ${escapeText(options.project)}` : 'in this project';
    say(`no ${options.running ? 'running ' : ''}sessions ${where} — start a task with \`vibe task start ID\``);
    return;
  }
  printLines(formatSessionTable(result.sessions, { colors: stdoutPalette(), showProject: options.allProjects === true }));
}
