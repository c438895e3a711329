// Side-by-side rows for a hunk: old lines on the left, new on the right, a run of deletions beside the
// additions that replace it, so a changed line sits next to what it became.
import type { PatchHunk, PatchLine } from './parse.js';

/** One row of the split layout; null is an empty cell (the line exists on the other side only). */
export type SplitRow = [left: PatchLine | null, right: PatchLine | null];

type Side = 'del' | 'add' | 'both';

export function splitRows(hunk: PatchHunk): SplitRow[] {
  const rows: SplitRow[] = [];
  let dels: PatchLine[] = [];
  let adds: PatchLine[] = [];
  // Where the line before went, so a `\ No newline at end of file` lands on the same side.
  let last: Side = 'both';
  const flush = (): void => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) rows.push([dels[i] ?? null, adds[i] ?? null]);
    dels = [];
    adds = [];
  };
  for (const line of hunk.lines) {
    const side: Side = line.kind === 'meta' ? last : line.kind === 'context' ? 'both' : line.kind;
    // A deletion after additions starts a new change: pairing it with the earlier additions would mislead.
    if (side === 'both' || (line.kind === 'del' && adds.length > 0)) flush();
    if (side === 'both') rows.push([line, line]);
    else if (side === 'del') dels.push(line);
    else adds.push(line);
    last = side;
  }
  flush();
  return rows;
}
