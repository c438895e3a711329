// Moves a complete upload from the daemon's data directory into the worktree in one step, so nobody in the
// worktree (the agent, git) ever sees half a file.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ProtocolError } from '@vibe/protocol';
import { refusePath, type WritePlan } from './worktree-path.js';

/**
 * Creates the missing directories of `plan` one at a time (never through a symlink that appeared since the
 * plan), then puts `partial` at the target: renamed over an existing file with `overwrite`, else hard-linked,
 * which fails rather than replace a file that appeared meanwhile. The caller re-plans just before, so the
 * checks are as fresh as they can be; a process inside the worktree racing them is the user's own agent.
 */
export async function placeFile(plan: WritePlan, partial: string, path: string, overwrite: boolean): Promise<void> {
  let dir = plan.base;
  for (const part of plan.missing) {
    dir = join(dir, part);
    try {
      await mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await lstat(dir)).isDirectory()) throw refusePath(path, `goes through ${part}, which is not a directory`);
    }
  }
  // An existing file keeps its mode (a script stays executable); a new one is an ordinary file.
  await chmod(partial, plan.existing ? plan.existing.mode & 0o777 : 0o644);
  const target = join(dir, plan.name);
  try {
    await put(partial, target, overwrite);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw placementError(error, path);
    // The data directory is on another file system: copy beside the target first, then the same single step.
    const copy = join(dir, `.vibe-upload-${randomUUID()}`);
    await copyFile(partial, copy, constants.COPYFILE_EXCL);
    try {
      await put(copy, target, overwrite);
    } catch (inner) {
      await rm(copy, { force: true });
      throw placementError(inner, path);
    }
    await rm(partial, { force: true });
  }
}

async function put(from: string, to: string, overwrite: boolean): Promise<void> {
  if (overwrite) return rename(from, to);
  await link(from, to);
  await unlink(from);
}

function placementError(error: unknown, path: string): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EEXIST':
      return new ProtocolError('conflict', `${path} appeared in the worktree during the upload; send overwrite: true to replace it`);
    case 'EISDIR':
    case 'ENOTEMPTY':
      return refusePath(path, 'is a directory');
    default:
      return error;
  }
}
