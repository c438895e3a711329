// `vibe gc`: removes the worktrees of finished attempts; a branch with unmerged work stays unless --force.
import type { MethodResult } from '@vibe/protocol';
import { withDaemon } from '../daemon-connection.js';
import { escapeText } from '../escape.js';
import { printJson, printLines, say } from '../output.js';
import { taskName } from '../task-format.js';

export interface GcOptions {
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

export async function gc(options: GcOptions): Promise<void> {
  const result = await withDaemon(({ client }) =>
    client.request('worktree.gc', { ...(options.dryRun && { dryRun: true }), ...(options.force && { force: true }) }),
  );
  if (options.json) {
    printJson(result);
    return;
  }
  printLines(formatGc(result, { dryRun: Boolean(options.dryRun) }));
  const removed = `${options.dryRun ? 'would remove' : 'removed'} ${plural(result.removed.length, 'worktree')}`;
  say(result.removed.length === 0 && result.kept.length === 0 ? 'nothing to clean up' : `${removed}, kept ${result.kept.length}`);
  if (result.kept.length > 0 && !options.force) say('`vibe gc --force` removes the kept ones too, unmerged work included');
}

type GcResult = MethodResult<'worktree.gc'>;
type GcEntry = GcResult['removed'][number];

/** One line per worktree: removed (or would be), or kept with the reason. */
export function formatGc(result: GcResult, options: { dryRun: boolean }): string[] {
  const what = (entry: GcEntry): string =>
    `${taskName({ project: entry.project, number: entry.taskNumber })} attempt ${entry.attempt}: ${escapeText(entry.branch)} (${escapeText(entry.worktree)})`;
  return [
    ...result.removed.map((entry) => `${options.dryRun ? 'would remove' : 'removed'} ${what(entry)}`),
    ...result.kept.map((entry) => `kept ${what(entry)} — ${escapeText(entry.reason)}`),
  ];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
