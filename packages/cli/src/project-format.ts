// How projects and their settings read on a terminal: the `project ls` table and the `project set` summary.
import type { Project } from '@vibe/protocol';
import { escapeText } from './escape.js';
import { formatTable, type Cell } from './table.js';
import type { Palette } from './terminal.js';

export interface ProjectTableOptions {
  colors: Palette;
  /** Terminal width: setup commands are cut to fit. Undefined (not a TTY) leaves them whole. */
  width?: number;
}

/** `project ls`: NAME / BASE / MAX / INSTRUCTIONS / SETUP / PATH; instructions as a size, setup as the command. */
export function formatProjectTable(projects: readonly Project[], options: ProjectTableOptions): string[] {
  const { colors } = options;
  const none: Cell = { text: '-', style: colors.dim };
  const rows = projects.map((project): Cell[] => {
    // A daemon older than project settings sends none.
    const settings = project.settings ?? { maxSessions: null, instructions: null, setup: null };
    return [
      escapeText(project.name),
      escapeText(project.baseBranch),
      settings.maxSessions === null ? none : String(settings.maxSessions),
      settings.instructions === null ? none : instructionsSize(settings.instructions),
      escapeText(project.path),
      settings.setup === null ? none : escapeText(settings.setup),
    ];
  });
  return formatTable(['NAME', 'BASE', 'MAX', 'INSTRUCTIONS', 'PATH', 'SETUP'], rows, {
    maxWidth: options.width,
    shrink: 5,
    headerStyle: colors.bold,
    alignRight: [2],
  });
}

/** Every setting of one project, instructions in full (escaped, line breaks kept). */
export function formatProjectDetail(project: Project, colors: Palette): string[] {
  const field = (name: string, value: string): string => `${colors.dim(name.padEnd(13))}${value}`;
  const { settings } = project;
  const lines = [`${colors.bold(escapeText(project.name))} ${escapeText(project.path)}`, field('base branch', escapeText(project.baseBranch))];
  if (!settings) return lines;
  lines.push(
    field('max sessions', String(settings.maxSessions)),
    field('setup', settings.setup === null ? colors.dim('(none)') : escapeText(settings.setup)),
    field('instructions', settings.instructions === null ? colors.dim('(none)') : instructionsSize(settings.instructions)),
  );
  if (settings.instructions !== null && settings.instructions !== '') {
    lines.push('', ...escapeText(settings.instructions, { multiline: true }).replace(/\n+$/, '').split('\n'));
  }
  return lines;
}

function instructionsSize(text: string): string {
  const lines = text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
  return `${lines} line${lines === 1 ? '' : 's'}`;
}
