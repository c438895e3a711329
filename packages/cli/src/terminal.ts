// What the output streams can take: colour only on a terminal that wants it, width for truncation.

type Env = Record<string, string | undefined>;

export interface StreamInfo {
  isTTY?: boolean;
  columns?: number;
}

/**
 * FORCE_COLOR (other than 0/false) forces colour on; otherwise colour needs a TTY, no NO_COLOR
 * (https://no-color.org: present and not empty) and a TERM other than "dumb".
 */
export function colorEnabled(stream: StreamInfo, env: Env = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Terminal width for truncation, or undefined when the output is not a terminal (then never truncate). */
export function terminalWidth(stream: StreamInfo): number | undefined {
  return stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : undefined;
}

export type Style = (text: string) => string;

export interface Palette {
  bold: Style;
  dim: Style;
  red: Style;
  green: Style;
  yellow: Style;
  blue: Style;
  magenta: Style;
  cyan: Style;
}

const sgr =
  (open: number, close: number): Style =>
  (text) =>
    text === '' ? '' : `\x1b[${open}m${text}\x1b[${close}m`;
const plain: Style = (text) => text;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, blue: plain, magenta: plain, cyan: plain };
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
  };
}

/** Colours for stdout and stderr, decided once per stream. */
export function stdoutPalette(): Palette {
  return palette(colorEnabled(process.stdout));
}

export function stderrPalette(): Palette {
  return palette(colorEnabled(process.stderr));
}
