// Path and name rules for projects: path normalisation, "is this directory inside that one", default names.
import { basename, isAbsolute, resolve } from 'node:path';
import { LIMITS } from '@vibe/protocol';

/**
 * The form a project path is stored and compared in: absolute, no `.`/`..`, no trailing slash. Symlinks are
 * not resolved here (that needs the filesystem); callers pass the repository's real top level.
 */
export function normalizePath(path: string): string {
  return resolve(path);
}

/** True when `dir` is `path` or one of its ancestors; `/a/foo` is not an ancestor of `/a/foobar`. */
export function isInside(path: string, dir: string): boolean {
  if (!isAbsolute(path)) return false;
  const p = normalizePath(path);
  const d = normalizePath(dir);
  return p === d || p.startsWith(d.endsWith('/') ? d : `${d}/`);
}

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/**
 * The name a project gets from its folder: the basename, with what ProjectName forbids (control characters,
 * "#") replaced by "-", cut to the length limit.
 */
export function defaultProjectName(path: string): string {
  const cleaned = basename(normalizePath(path)).replace(/[\u0000-\u001f\u007f#]/g, '-');
  return truncate(cleaned, LIMITS.projectNameMax) || 'project';
}

/** The n-th candidate for a name: `name`, then `name-2`, `name-3`, … still within the length limit. */
export function nameCandidate(name: string, n: number): string {
  if (n <= 1) return name;
  const suffix = `-${n}`;
  return `${truncate(name, LIMITS.projectNameMax - suffix.length)}${suffix}`;
}
