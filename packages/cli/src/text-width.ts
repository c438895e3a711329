// How many terminal columns text takes, and cutting it to fit: wide CJK and emoji count 2, marks count 0.

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;

/** East Asian Wide and Fullwidth blocks (the common ones; exact tables are not worth a dependency here). */
const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

export function codePointWidth(char: string): 0 | 1 | 2 {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x7f) return code < 0x20 ? 0 : 1;
  if (ZERO_WIDTH.test(char)) return 0;
  if (EMOJI.test(char)) return 2;
  for (const [low, high] of WIDE_RANGES) if (code >= low && code <= high) return 2;
  return 1;
}

/** Columns `text` occupies; the code point after a zero-width joiner joins the emoji before it. */
export function textWidth(text: string): number {
  let width = 0;
  let joined = false;
  for (const char of text) {
    if (joined) {
      joined = false;
      continue;
    }
    if (char === '\u200d') joined = true;
    width += codePointWidth(char);
  }
  return width;
}

/** Cuts `text` to at most `max` columns, ending in "…" when something was cut. */
export function truncateToWidth(text: string, max: number): string {
  if (textWidth(text) <= max) return text;
  if (max <= 0) return '';
  let out = '';
  let width = 0;
  let joined = false;
  for (const char of text) {
    const w = joined ? 0 : codePointWidth(char);
    joined = char === '\u200d';
    if (width + w > max - 1) break;
    out += char;
    width += w;
  }
  return `${out}…`;
}
