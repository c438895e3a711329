// `vibe project set`: a project's base branch, setup command, agent instructions and session limit.
import { currentDirectory } from '../cwd.js';
import { withDaemon } from '../daemon-connection.js';
import { UsageError } from '../errors.js';
import { printJson, printLines, say } from '../output.js';
import { formatProjectDetail } from '../project-format.js';
import { checkSetup, parseMaxSessions, readInstructions } from '../project-settings-input.js';
import { escapeText } from '../escape.js';
import { stdoutPalette } from '../terminal.js';

export interface ProjectSetOptions {
  base?: string;
  /** A command, or false for --no-setup. */
  setup?: string | false;
  /** A file ("-" for stdin), or false for --no-instructions. */
  instructions?: string | false;
  maxSessions?: string;
  project?: string;
  json?: boolean;
}

export async function projectSet(options: ProjectSetOptions): Promise<void> {
  const { base, setup, instructions, maxSessions } = options;
  if (base === undefined && setup === undefined && instructions === undefined && maxSessions === undefined) {
    throw new UsageError('nothing to change: give --base, --setup, --no-setup, --instructions, --no-instructions or --max-sessions');
  }
  if (base !== undefined && base.trim() === '') throw new UsageError('--base needs a branch name');
  const params = {
    ...(options.project !== undefined ? { project: options.project } : { cwd: currentDirectory() }),
    ...(base !== undefined && { baseBranch: base }),
    ...(setup !== undefined && { setup: setup === false ? null : checkSetup(setup) }),
    ...(maxSessions !== undefined && { maxSessions: parseMaxSessions(maxSessions) }),
    ...(instructions !== undefined && { instructions: instructions === false ? null : await readInstructions(instructions) }),
  };
  const { project } = await withDaemon(({ client }) => client.request('project.update', params));
  if (options.json) {
    printJson(project);
    return;
  }
  printLines(formatProjectDetail(project, stdoutPalette()));
  say(`updated ${escapeText(project.name)}`);
}
