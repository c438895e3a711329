// A file's hunks as DOM rows, one column (unified) or old beside new (split). Every row is one fixed-height
// flex line, so the two columns of the split layout stay aligned while each scrolls sideways on its own.
// Text from the patch only ever becomes textContent: a patch is written by an agent and may hold anything.
import { highlightLine, type Language } from './highlight.js';
import type { PatchHunk, PatchLine } from './parse.js';
import { splitRows } from './rows.js';

export type DiffLayout = 'unified' | 'split';

/** An element with a class and, optionally, text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * Rows built at a time. A browser lays out some ten thousand rows a second, so a regenerated lockfile of
 * 40,000 lines would hang the tab for seconds; past this, a button adds the next rows.
 */
export const ROWS_AT_ONCE = 1000;

/** The rows of every hunk in a horizontally scrolling box (two, side by side, for the split layout). */
export function renderHunks(hunks: readonly PatchHunk[], language: Language | null, layout: DiffLayout): HTMLElement {
  // Not Math.max(...lines): a file of a few hundred thousand lines would overflow the call stack.
  let widest = 0;
  for (const hunk of hunks) for (const line of hunk.lines) widest = Math.max(widest, line.oldLine ?? 0, line.newLine ?? 0);
  const digits = String(widest).length;
  const [left, leftLines] = column(digits);
  const body = el('div', layout === 'split' ? 'diff-split' : 'diff-unified');
  body.append(left);
  // Each entry appends one row (one to each column, split); only a chunk of them runs at a time.
  const rows: Array<() => void> = [];
  if (layout === 'unified') {
    for (const hunk of hunks) {
      rows.push(() => leftLines.append(hunkRow(hunk.header, 2)));
      for (const line of hunk.lines) rows.push(() => leftLines.append(row(line, language, [line.oldLine, line.newLine])));
    }
  } else {
    const [right, rightLines] = column(digits);
    body.append(right);
    for (const hunk of hunks) {
      // The header is shown once, on the left; its empty twin keeps the right column's rows in step.
      rows.push(() => {
        leftLines.append(hunkRow(hunk.header, 1));
        rightLines.append(hunkRow('', 1));
      });
      for (const [old, now] of splitRows(hunk)) {
        rows.push(() => {
          leftLines.append(old ? row(old, language, [old.oldLine]) : emptyRow());
          rightLines.append(now ? row(now, language, [now.newLine]) : emptyRow());
        });
      }
    }
  }
  let shown = 0;
  const more = el('button', 'diff-more');
  more.type = 'button';
  const showMore = (): void => {
    const end = Math.min(rows.length, shown + ROWS_AT_ONCE);
    for (; shown < end; shown++) rows[shown]!();
    const left = rows.length - shown;
    if (left > 0) more.textContent = `Show the next ${Math.min(left, ROWS_AT_ONCE).toLocaleString()} rows (${left.toLocaleString()} not shown)`;
    else more.remove();
  };
  more.addEventListener('click', showMore);
  const wrapper = el('div', 'diff-hunks');
  wrapper.append(body, more);
  showMore();
  return wrapper;
}

/** A scrolling box and the grid of rows inside it; line-number columns are as wide as the widest number. */
function column(digits: number): [HTMLElement, HTMLElement] {
  const box = el('div', 'diff-scroll');
  box.style.setProperty('--diff-digits', String(Math.max(digits, 2)));
  const lines = el('div', 'diff-lines');
  box.append(lines);
  return [box, lines];
}

function hunkRow(header: string, numbers: number): HTMLElement {
  const line = el('div', 'diff-line diff-hunk');
  for (let i = 0; i < numbers; i++) line.append(el('span', 'diff-num'));
  line.append(el('span', 'diff-code', header));
  return line;
}

function emptyRow(): HTMLElement {
  const line = el('div', 'diff-line diff-empty');
  line.append(el('span', 'diff-num'), el('span', 'diff-code'));
  return line;
}

/** Line numbers go in a data attribute shown by CSS, so selecting code copies the code alone. */
function row(line: PatchLine, language: Language | null, numbers: Array<number | null>): HTMLElement {
  const element = el('div', `diff-line diff-${line.kind}`);
  for (const n of numbers) {
    const cell = el('span', 'diff-num');
    if (n !== null) cell.dataset.n = String(n);
    element.append(cell);
  }
  const code = el('span', 'diff-code');
  if (line.kind === 'meta') code.textContent = line.text;
  else {
    for (const token of highlightLine(line.text, language)) {
      code.append(token.kind === 'plain' ? document.createTextNode(token.text) : el('span', `diff-tok-${token.kind}`, token.text));
    }
  }
  element.append(code);
  return element;
}
