// The review view of an attempt's changes: a list of the changed files, then each file as a collapsible
// section with its hunks. The file list from task.diff is the truth about what changed; the patch adds the
// lines, and may lack files when it was cut at the daemon's size limit.
import type { DiffFile, MethodResult } from '@vibe/protocol';
import { languageFor } from './highlight.js';
import { el, renderHunks, ROWS_AT_ONCE, type DiffLayout } from './hunks.js';
import { parsePatch, type PatchFile } from './parse.js';

export type DiffInput = Pick<MethodResult<'task.diff'>, 'files' | 'patch' | 'truncated'>;

export interface RenderOptions {
  layout: DiffLayout;
}

/** A file's collapsible section; `show` opens it and builds its lines now, not at the next toggle event. */
interface Section {
  element: HTMLDetailsElement;
  show(): void;
}

interface Entry {
  file: DiffFile;
  patch: PatchFile | undefined;
}

/**
 * Lines shown at once; past it files start collapsed and are built when opened, so a vendored directory
 * in an attempt does not freeze the tab.
 */
const EAGER_LINES = 3000;

const STATUS_LETTER: Record<string, string> = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R' };

/** Replaces the container's content with the diff. */
export function renderDiff(container: HTMLElement, diff: DiffInput, options: RenderOptions): void {
  const patches = parsePatch(diff.patch);
  const entries = pairFiles(diff.files, patches);
  const cut = diff.truncated ? patches[patches.length - 1] : undefined;
  const root = el('div', `diff diff-layout-${options.layout}`);
  if (diff.truncated) root.append(el('p', 'diff-notice', 'The patch was cut at its size limit: the last files are incomplete or not shown.'));
  let budget = EAGER_LINES;
  const sections = entries.map((entry) => {
    const size = Math.min(ROWS_AT_ONCE, entry.patch?.hunks.reduce((sum, hunk) => sum + hunk.lines.length, 0) ?? 0);
    const open = size <= budget;
    if (open) budget -= size;
    return fileSection(entry, options.layout, open, diff.truncated, entry.patch !== undefined && entry.patch === cut);
  });
  if (entries.length === 0) root.append(el('p', 'diff-notice', 'No changes.'));
  else root.append(fileList(entries, sections));
  root.append(...sections.map((section) => section.element));
  container.replaceChildren(root);
}

/** Each listed file with its part of the patch, then any patch file the list lacks (counted from its lines). */
function pairFiles(files: readonly DiffFile[], patches: PatchFile[]): Entry[] {
  const byPath = new Map<string, PatchFile>();
  for (const patch of patches) {
    const path = patch.newPath ?? patch.oldPath;
    if (path !== null && !byPath.has(path)) byPath.set(path, patch);
  }
  const entries: Entry[] = files.map((file) => {
    const patch = byPath.get(file.path);
    byPath.delete(file.path);
    return { file, patch };
  });
  for (const [path, patch] of byPath) {
    const lines = patch.hunks.flatMap((hunk) => hunk.lines);
    const count = (kind: string): number => lines.filter((line) => line.kind === kind).length;
    const file: DiffFile = { path, oldPath: patch.status === 'renamed' ? patch.oldPath : null, status: patch.status, additions: count('add'), deletions: count('del'), binary: patch.binary };
    entries.push({ file, patch });
  }
  return entries;
}

/** Status letter, path (old → new for a rename) and the counts: the same in the list and on each section. */
function fileLabel(file: DiffFile): HTMLElement[] {
  const status = el('span', `diff-status diff-status-${file.status}`, STATUS_LETTER[file.status] ?? '?');
  status.title = file.status;
  const path = el('span', 'diff-path', file.oldPath !== null && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path);
  const counts = el('span', 'diff-counts');
  if (file.binary) counts.textContent = 'binary';
  else counts.append(el('span', 'diff-plus', `+${file.additions}`), el('span', 'diff-minus', `−${file.deletions}`));
  return [status, path, counts];
}

/** Past this many files the list starts collapsed, so the first file is not a long scroll away. */
const LIST_OPEN_MAX = 25;

function fileList(entries: Entry[], sections: Section[]): HTMLElement {
  const toc = el('details', 'diff-toc');
  toc.open = entries.length <= LIST_OPEN_MAX;
  const additions = entries.reduce((sum, { file }) => sum + file.additions, 0);
  const deletions = entries.reduce((sum, { file }) => sum + file.deletions, 0);
  const head = el('summary', 'diff-toc-head', `${entries.length} ${entries.length === 1 ? 'file' : 'files'} `);
  head.append(el('span', 'diff-plus', `+${additions}`), ' ', el('span', 'diff-minus', `−${deletions}`));
  const list = el('ol', 'diff-toc-list');
  list.setAttribute('aria-label', 'Changed files');
  entries.forEach(({ file }, index) => {
    const button = el('button', 'diff-toc-item');
    button.type = 'button';
    button.append(...fileLabel(file));
    button.addEventListener('click', () => {
      const section = sections[index]!;
      section.show();
      section.element.scrollIntoView({ block: 'start' });
    });
    const item = el('li', '');
    item.append(button);
    list.append(item);
  });
  toc.append(head, list);
  return toc;
}

function fileSection(entry: Entry, layout: DiffLayout, open: boolean, truncated: boolean, cut: boolean): Section {
  const element = el('details', 'diff-file');
  const summary = el('summary', 'diff-file-head');
  summary.append(...fileLabel(entry.file));
  element.append(summary);
  let built = false;
  const build = (): void => {
    if (built || !element.open) return;
    built = true;
    element.append(fileBody(entry, layout, truncated));
    if (cut) element.append(el('p', 'diff-note diff-cut', 'The patch was cut here: the rest of this file is not shown.'));
  };
  element.addEventListener('toggle', build);
  element.open = open;
  build();
  return {
    element,
    show: () => {
      element.open = true;
      build();
    },
  };
}

function fileBody({ file, patch }: Entry, layout: DiffLayout, truncated: boolean): HTMLElement {
  if (file.binary || patch?.binary) return el('p', 'diff-note', 'Binary file, not shown.');
  if (!patch) return el('p', 'diff-note', truncated ? 'Not shown: the patch was cut before this file.' : 'No lines to show.');
  const modes = patch.headers.filter((line) => /^(old|new) mode /.test(line)).map((line) => line.split(' ').pop());
  const mode = modes.length === 2 ? el('p', 'diff-note diff-mode', `File mode ${modes[0]} → ${modes[1]}`) : null;
  if (patch.hunks.length === 0) {
    const why = patch.status === 'renamed' ? 'Renamed without changes.' : patch.status === 'added' ? 'Empty file added.' : patch.status === 'deleted' ? 'Empty file deleted.' : 'No lines changed.';
    return mode ?? el('p', 'diff-note', why);
  }
  const body = renderHunks(patch.hunks, languageFor(file.path), layout);
  if (!mode) return body;
  const both = el('div', '');
  both.append(mode, body);
  return both;
}
