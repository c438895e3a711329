// The diff screen: the attempt's files on the left, the selected file's patch on the right, coloured and scrollable.
import { Box, Text } from 'ink';
import type { MethodResult } from '@vibe/protocol';
import { escapeText } from '../escape.js';
import { truncateToWidth } from '../text-width.js';
import type { InkColor, Paint } from './theme.js';

export type Diff = MethodResult<'task.diff'>;

export interface FilePatch {
  path: string;
  label: string;
  lines: string[];
}

/** Splits a unified diff into one patch per file, in the order of `files` (a file without patch text gets none). */
export function splitPatch(diff: Pick<Diff, 'files' | 'patch'>): FilePatch[] {
  const sections: string[][] = [];
  for (const line of diff.patch.split('\n')) {
    if (line.startsWith('diff --git ') || sections.length === 0) sections.push([]);
    sections.at(-1)!.push(line);
  }
  const bodies = sections.filter((section) => section[0]?.startsWith('diff --git '));
  return diff.files.map((file) => {
    const body = bodies.find((section) => section[0]!.endsWith(` b/${file.path}`)) ?? [];
    const sign = file.status === 'added' ? 'A' : file.status === 'deleted' ? 'D' : file.status === 'renamed' ? 'R' : 'M';
    const counts = file.binary ? 'bin' : `+${file.additions} -${file.deletions}`;
    return { path: file.path, label: `${sign} ${escapeText(file.path)} ${counts}`, lines: body.map((line) => escapeText(line.replace(/\t/g, '    '))) };
  });
}

function lineColor(line: string): InkColor | undefined {
  if (line.startsWith('+++') || line.startsWith('---')) return undefined;
  if (line.startsWith('+')) return 'green';
  if (line.startsWith('-')) return 'red';
  if (line.startsWith('@@')) return 'cyan';
  return undefined;
}

export interface DiffViewProps {
  title: string;
  diff: Diff | undefined;
  /** The request failed: shown instead of the diff. */
  error?: string | undefined;
  file: number;
  scroll: number;
  width: number;
  height: number;
  paint: Paint;
}

export const DIFF_HINTS = '↑↓ jk scroll  PgUp/PgDn page  ←→ hl tab file  g/G top/end  q esc back';

/** Rows of patch the view shows: the caller scrolls by this much per page. */
export function patchRows(height: number): number {
  return Math.max(1, height - 2);
}

export function DiffView({ title, diff, error, file, scroll, width, height, paint }: DiffViewProps) {
  const rows = patchRows(height);
  const files = diff ? splitPatch(diff) : [];
  const listWidth = Math.min(40, Math.max(16, Math.floor(width * 0.3)));
  const patchWidth = width - listWidth - 1;
  const current = files[file];
  const lines = current ? current.lines.slice(scroll, scroll + rows) : [];
  const summary = diff ? `${escapeText(diff.branch)} vs ${escapeText(diff.base)} · ${files.length} file${files.length === 1 ? '' : 's'}${diff.truncated ? ' · truncated' : ''}` : '';
  const listFirst = Math.max(0, Math.min(file - rows + 1, files.length - rows));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {truncateToWidth(`diff ${title}${summary ? ` — ${summary}` : ''}`, width)}
      </Text>
      {error !== undefined ? (
        <Box height={rows}>
          <Text color={paint('red')} bold wrap="wrap">
            {escapeText(error)}
          </Text>
        </Box>
      ) : !diff ? (
        <Box height={rows}>
          <Text dimColor>loading…</Text>
        </Box>
      ) : files.length === 0 ? (
        <Box height={rows}>
          <Text dimColor>no changes against {escapeText(diff.base)}</Text>
        </Box>
      ) : (
        <Box flexDirection="row" height={rows}>
          <Box flexDirection="column" width={listWidth}>
            {files.slice(Math.max(0, listFirst), Math.max(0, listFirst) + rows).map((entry, index) => {
              const selected = index + Math.max(0, listFirst) === file;
              return (
                <Text key={entry.path} inverse={selected} wrap="truncate">
                  {truncateToWidth(entry.label, listWidth - 1).padEnd(listWidth - 1)}
                </Text>
              );
            })}
          </Box>
          <Box flexDirection="column" width={patchWidth} marginLeft={1}>
            {lines.length === 0 ? (
              <Text dimColor>(no text changes)</Text>
            ) : (
              lines.map((line, index) => (
                <Text key={index} color={(() => {
                  const color = lineColor(line);
                  return color && paint(color);
                })()} bold={line.startsWith('diff --git')} wrap="truncate">
                  {truncateToWidth(line, patchWidth) || ' '}
                </Text>
              ))
            )}
          </Box>
        </Box>
      )}
      <Text dimColor wrap="truncate">
        {truncateToWidth(`${current ? `${scroll + 1}-${Math.min(current.lines.length, scroll + rows)}/${current.lines.length}  ` : ''}${DIFF_HINTS}`, width)}
      </Text>
    </Box>
  );
}
