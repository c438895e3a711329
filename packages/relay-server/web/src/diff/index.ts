// The review diff view for the browser: parse a task.diff patch, colour it, render it unified or split.
import './diff.css';

export { renderDiff, type DiffInput, type RenderOptions } from './render.js';
export { parsePatch, type PatchFile, type PatchHunk, type PatchLine } from './parse.js';
export { highlightLine, languageFor, type Token, type TokenKind } from './highlight.js';
export type { DiffLayout } from './hunks.js';

/** Side by side from this width (CSS px): below it each half is too narrow for a line of code. */
export const SPLIT_MIN_WIDTH = 900;

export function chooseLayout(width: number): 'unified' | 'split' {
  return width >= SPLIT_MIN_WIDTH ? 'split' : 'unified';
}
