// `vibe task diff ID`: an attempt's changes against its base — the patch, a diffstat, or the file names.
import { attemptRef, type AttemptOptions } from '../attempt-ref.js';
import { withDaemon } from '../daemon-connection.js';
import { formatDiffStat, formatNameOnly, formatPatch } from '../diff-format.js';
import { UsageError } from '../errors.js';
import { escapeText } from '../escape.js';
import { printJson, printLines, say } from '../output.js';
import { page } from '../pager.js';
import { colorEnabled, palette, terminalWidth } from '../terminal.js';

export interface TaskDiffOptions extends AttemptOptions {
  stat?: boolean;
  nameOnly?: boolean;
  json?: boolean;
}

export async function taskDiff(id: string, options: TaskDiffOptions): Promise<void> {
  if (options.stat && options.nameOnly) throw new UsageError('give --stat or --name-only, not both');
  const ref = attemptRef(id, options);
  const filesOnly = Boolean(options.stat || options.nameOnly);
  const diff = await withDaemon(({ client }) => client.request('task.diff', { ...ref, ...(filesOnly && { stat: true }) }));
  if (options.json) {
    printJson(diff);
    return;
  }
  const colors = palette(colorEnabled(process.stdout));
  if (diff.files.length === 0 && diff.patch === '') {
    say(`no changes on ${escapeText(diff.branch)} against ${escapeText(diff.base)}`);
    return;
  }
  if (options.nameOnly) printLines(formatNameOnly(diff.files));
  else if (options.stat) printLines(formatDiffStat(diff.files, { colors, width: terminalWidth(process.stdout) }));
  else await page(formatPatch(diff.patch, colors));
  if (diff.truncated && !filesOnly) say(`the patch was cut at the size limit; \`vibe task diff ${escapeText(id)} --stat\` lists every file`);
}
