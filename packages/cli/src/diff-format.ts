// How an attempt's diff reads on a terminal: the patch (coloured as git colours it), a diffstat, file names.
import type { DiffFile } from '@vibe/protocol';
import { escapeText } from './escape.js';
import { textWidth } from './text-width.js';
import type { Palette } from './terminal.js';

/**
 * The patch with every line escaped (a file's contents may hold escape sequences; tabs and the line breaks
 * stay) and, when `colors` are on, git's colours: file headers bold, `@@` cyan, additions green, deletions
 * red. With colours off the text is exactly git's unless it held control characters.
 */
export function formatPatch(patch: string, colors: Palette): string {
  let inHunk = false;
  return patch
    .split('\n')
    .map((raw) => {
      // Inside a line there is no \n, so multiline escaping keeps only the tab and shows a lone CR as \r.
      const line = escapeText(raw, { multiline: true });
      if (line.startsWith('diff ')) inHunk = false;
      else if (line.startsWith('@@')) inHunk = true;
      if (line === '') return line;
      if (!inHunk) return colors.bold(line);
      if (line.startsWith('@@')) return hunkHeader(line, colors);
      if (line.startsWith('+')) return colors.green(line);
      if (line.startsWith('-')) return colors.red(line);
      return line;
    })
    .join('\n');
}

/** `@@ -1,2 +1,3 @@ function name`: the ranges cyan, the function context plain, as git shows it. */
function hunkHeader(line: string, colors: Palette): string {
  const end = line.indexOf('@@', 2);
  if (end === -1) return colors.cyan(line);
  return colors.cyan(line.slice(0, end + 2)) + line.slice(end + 2);
}

/** One path per changed file, escaped; a renamed file by its new name. */
export function formatNameOnly(files: readonly DiffFile[]): string[] {
  return files.map((file) => escapeText(file.path));
}

export interface DiffStatOptions {
  colors: Palette;
  /** Terminal width; the bars are scaled to fit. Undefined (not a TTY): 80 columns, as git assumes. */
  width?: number;
}

const MAX_BAR = 40;

/**
 * The diffstat: ` path | +N -M  +++---` per file, the bars scaled to the largest change, then
 * ` 2 files changed, 8 insertions(+), 4 deletions(-)`.
 */
export function formatDiffStat(files: readonly DiffFile[], options: DiffStatOptions): string[] {
  if (files.length === 0) return [];
  const { colors } = options;
  const names = files.map((file) => (file.oldPath !== null && file.oldPath !== file.path ? `${escapeText(file.oldPath)} → ${escapeText(file.path)}` : escapeText(file.path)));
  const counts = files.map((file) => (file.binary ? 'binary' : `+${file.additions} -${file.deletions}`));
  const nameWidth = Math.max(...names.map(textWidth));
  const countWidth = Math.max(...counts.map((count) => count.length));
  const room = (options.width ?? 80) - nameWidth - countWidth - 6;
  const largest = Math.max(...files.map((file) => (file.binary ? 0 : file.additions + file.deletions)));
  const barMax = Math.max(1, Math.min(MAX_BAR, room));
  const lines = files.map((file, index) => {
    const name = names[index]!;
    const count = counts[index]!;
    const head = ` ${name}${' '.repeat(nameWidth - textWidth(name))} | ${' '.repeat(countWidth - count.length)}${count}`;
    if (file.binary || largest === 0) return head;
    const [plus, minus] = barLengths(file.additions, file.deletions, largest, barMax);
    return `${head} ${colors.green('+'.repeat(plus))}${colors.red('-'.repeat(minus))}`;
  });
  return [...lines, totalsLine(files)];
}

/** Bar lengths scaled so the largest change fills `barMax`; any change gets at least one mark. */
function barLengths(additions: number, deletions: number, largest: number, barMax: number): [number, number] {
  if (largest <= barMax) return [additions, deletions];
  const scale = (n: number): number => (n === 0 ? 0 : Math.max(1, Math.round((n * barMax) / largest)));
  return [scale(additions), scale(deletions)];
}

function totalsLine(files: readonly DiffFile[]): string {
  const additions = files.reduce((sum, file) => sum + file.additions, 0);
  const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  return ` ${plural(files.length, 'file', 'files')} changed, ${plural(additions, 'insertion(+)', 'insertions(+)')}, ${plural(deletions, 'deletion(-)', 'deletions(-)')}`;
}
