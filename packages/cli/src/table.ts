// Plain-text tables: columns padded by display width, one column allowed to shrink to fit the terminal.
import { textWidth, truncateToWidth } from './text-width.js';
import type { Style } from './terminal.js';

/** A cell is its text plus an optional style applied after padding, so colour never affects alignment. */
export type Cell = string | { text: string; style?: Style };

export interface TableOptions {
  /** Total width to fit in (the terminal's); undefined means never truncate. */
  maxWidth?: number;
  /** Index of the column that gives up space when the table is too wide (a title, say). */
  shrink?: number;
  /** Style for the header row. */
  headerStyle?: Style;
  /** Columns whose text is right-aligned (counts). */
  alignRight?: readonly number[];
}

const GAP = '  ';
/** A shrinking column never goes below this, even if the line then wraps. */
const MIN_SHRUNK = 10;

/** Lays out `rows` under `headers` and returns the lines, header first, with no trailing spaces. */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): string[] {
  const texts = rows.map((row) => row.map(cellText));
  const widths = headers.map((header, column) => Math.max(textWidth(header), ...texts.map((row) => textWidth(row[column] ?? ''))));
  const { maxWidth, shrink } = options;
  if (maxWidth !== undefined && shrink !== undefined && widths[shrink] !== undefined) {
    const total = widths.reduce((sum, width) => sum + width, 0) + GAP.length * (widths.length - 1);
    if (total > maxWidth) widths[shrink] = Math.max(MIN_SHRUNK, widths[shrink] - (total - maxWidth));
  }
  const right = new Set(options.alignRight ?? []);
  const line = (cells: readonly Cell[], rowStyle?: Style): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        const fitted = truncateToWidth(cellText(cell), width);
        const last = column === cells.length - 1;
        const padding = ' '.repeat(Math.max(0, width - textWidth(fitted)));
        const style = (typeof cell === 'string' ? undefined : cell.style) ?? rowStyle;
        const styled = style ? style(fitted) : fitted;
        if (right.has(column)) return padding + styled;
        return last ? styled : styled + padding;
      })
      .join(GAP)
      .trimEnd();
  return [line(headers, options.headerStyle), ...rows.map((row) => line(row))];
}

function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}
