// Which files a client may read or write in a worktree: the path it names is checked as text first, then
// against where it really leads once symlinks are followed. Every refusal happens before anything is written.
import type { Stats } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ProtocolError } from '@vibe/protocol';

/** An attempt's worktree as the files room is given it: the path the store recorded, and words for errors. */
export interface WorktreeRef {
  path: string;
  /** Names it in messages: "attempt 2 of task 3". */
  what: string;
}

/** NAME_MAX on Linux and macOS: a longer segment could never be created, so it is refused up front. */
const SEGMENT_MAX_BYTES = 255;
/** PATH_MAX less its NUL: the OS refuses longer paths, and the worktree's own path comes on top. */
const PATH_MAX_BYTES = 4095;

/** A refusal of the path itself, shaped like a schema issue so clients show it beside the field. */
export function refusePath(path: string, why: string): ProtocolError {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  const message = `path ${JSON.stringify(shown)} ${why}`;
  return new ProtocolError('invalid_params', message, { issues: [{ path: 'path', message }] });
}

/**
 * The segments of a path relative to the worktree root. Refused: empty and absolute paths, empty, "." and
 * ".." segments (even "a/../b": no client needs them, and one spelling per file keeps the checks simple),
 * control characters (NUL would cut the path short in the OS; the rest would reach terminals in listings),
 * names and paths too long for the file system, and anything under .git in any letter case (case-insensitive file
 * systems treat .GIT as .git).
 */
export function checkRelativePath(path: string): string[] {
  if (path === '') throw refusePath(path, 'is empty');
  if (/[\u0000-\u001f\u007f]/.test(path)) throw refusePath(path, 'contains a control character');
  if (path.startsWith('/')) throw refusePath(path, 'is absolute; name a path relative to the worktree root');
  if (Buffer.byteLength(path) > PATH_MAX_BYTES) throw refusePath(path, `is longer than ${PATH_MAX_BYTES} bytes`);
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.') throw refusePath(path, 'has an empty or "." segment');
    if (segment === '..') throw refusePath(path, 'has a ".." segment');
    if (isGit(segment)) throw refusePath(path, 'is inside .git');
    if (Buffer.byteLength(segment) > SEGMENT_MAX_BYTES) throw refusePath(path, `has a name longer than ${SEGMENT_MAX_BYTES} bytes`);
  }
  return segments;
}

/** The worktree's real path (symlinks resolved), or a conflict naming the attempt when it is gone. */
export async function openRoot(worktree: WorktreeRef): Promise<string> {
  const gone = (): ProtocolError =>
    new ProtocolError('conflict', `the worktree of ${worktree.what} (${worktree.path}) is gone; it was removed (merged, task removed or gc'd) — start a new attempt to get one`);
  try {
    const real = await realpath(worktree.path);
    if (!(await stat(real)).isDirectory()) throw gone();
    return real;
  } catch (error) {
    if (isMissing(error)) throw gone();
    throw error;
  }
}

/**
 * The real path of an existing regular file under `root`. A symlink is followed, and allowed when it ends
 * inside the worktree (outside .git): the bytes read are the worktree's either way.
 */
export async function resolveForRead(root: string, segments: string[]): Promise<{ real: string; stats: Stats }> {
  const path = segments.join('/');
  let real: string;
  try {
    real = await realpath(join(root, ...segments));
  } catch (error) {
    if (isMissing(error)) throw new ProtocolError('not_found', `no file ${JSON.stringify(path)} in the worktree`);
    throw pathError(error, path);
  }
  checkInside(root, real, path);
  const stats = await stat(real);
  if (stats.isDirectory()) throw refusePath(path, 'is a directory, not a file');
  if (!stats.isFile()) throw refusePath(path, 'is not a regular file');
  return { real, stats };
}

/** Where an upload will land: the real directory to put it in, the directories to create first, and what is there now. */
export interface WritePlan {
  /** The nearest existing ancestor of the file, real (inside the worktree). */
  base: string;
  /** Directories to create under `base`, outermost first. */
  missing: string[];
  /** The file's name in its directory. */
  name: string;
  /** The file now at the target: a regular file only (anything else is refused). */
  existing: Stats | undefined;
}

/**
 * Checks that a file may be written at `segments` under `root`, without changing anything: the nearest
 * existing ancestor directory resolves inside the worktree and outside .git, the target is not a directory,
 * a symlink or anything but a regular file, and an existing file is replaced only with `overwrite`.
 */
export async function planWrite(root: string, segments: string[], overwrite: boolean): Promise<WritePlan> {
  const path = segments.join('/');
  const dirs = segments.slice(0, -1);
  const name = segments[segments.length - 1]!;
  let found = dirs.length;
  let base: string | undefined;
  for (; found >= 0; found--) {
    base = await existingDirectory(root, dirs.slice(0, found), path);
    if (base !== undefined) break;
  }
  if (base === undefined) throw new Error(`worktree root ${root} vanished while planning a write`);
  const missing = dirs.slice(found);
  if (Buffer.byteLength(join(base, ...missing, name)) > PATH_MAX_BYTES) throw refusePath(path, 'is too long for the file system in this worktree');
  const existing = missing.length === 0 ? await lstatIfAny(join(base, name), path) : undefined;
  if (existing?.isSymbolicLink()) throw refusePath(path, 'is a symlink; vibe replaces no links');
  if (existing?.isDirectory()) throw refusePath(path, 'is a directory');
  if (existing && !existing.isFile()) throw refusePath(path, 'is not a regular file');
  if (existing && !overwrite) throw new ProtocolError('conflict', `${path} exists in the worktree; send overwrite: true to replace it`);
  return { base, missing, name, existing };
}

/** The real path of `dirs` under root when it exists as a directory inside the worktree; undefined when it does not exist. */
async function existingDirectory(root: string, dirs: string[], path: string): Promise<string | undefined> {
  const at = join(root, ...dirs);
  let real: string;
  try {
    real = await realpath(at);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw pathError(error, path);
    // A symlink to nowhere would be followed by mkdir's EEXIST or by the rename: never write through one.
    if (await lstatIfAny(at, path)) throw refusePath(path, `goes through ${dirs.join('/')}, a symlink to nowhere`);
    return undefined;
  }
  checkInside(root, real, path);
  if (!(await stat(real)).isDirectory()) throw refusePath(path, `goes through ${dirs.join('/')}, which is not a directory`);
  return real;
}

/** Refuses a resolved path outside the worktree or inside its .git (a symlink may lead there). */
function checkInside(root: string, real: string, path: string): void {
  if (real !== root && !real.startsWith(root + sep)) throw refusePath(path, 'leads outside the worktree through a symlink');
  if (relative(root, real).split(sep).some(isGit)) throw refusePath(path, 'leads into .git through a symlink');
}

/** What the file system said about the path, as a refusal of it when that is what it means. */
function pathError(error: unknown, path: string): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ELOOP':
      return refusePath(path, 'goes round a loop of symlinks');
    case 'ENOTDIR':
      return refusePath(path, 'goes through a file as if it were a directory');
    case 'ENAMETOOLONG':
      return refusePath(path, 'is too long for the file system');
    default:
      return error;
  }
}

function isGit(segment: string): boolean {
  return segment.toLowerCase() === '.git';
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function lstatIfAny(at: string, path: string): Promise<Stats | undefined> {
  try {
    return await lstat(at);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw pathError(error, path);
  }
}
