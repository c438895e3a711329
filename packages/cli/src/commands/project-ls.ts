// `vibe project ls`: every registered project with its settings.
import { withDaemon } from '../daemon-connection.js';
import { printJson, printLines, say } from '../output.js';
import { formatProjectTable } from '../project-format.js';
import { stdoutPalette, terminalWidth } from '../terminal.js';

export interface ProjectLsOptions {
  json?: boolean;
}

export async function projectLs(options: ProjectLsOptions): Promise<void> {
  const result = await withDaemon(({ client }) => client.request('project.list', {}));
  if (options.json) {
    printJson(result);
    return;
  }
  if (result.projects.length === 0) {
    say('no projects yet — run `vibe up` inside a git repository');
    return;
  }
  printLines(formatProjectTable(result.projects, { colors: stdoutPalette(), width: terminalWidth(process.stdout) }));
}
