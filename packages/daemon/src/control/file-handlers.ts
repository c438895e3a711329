// Serves the file methods (protocol 1.4): the attempt's worktree is found as task.diff finds it, then the
// files room reads or writes inside it.
import type { MethodName, MethodParams, MethodResult } from '@vibe/protocol';
import type { Attempts } from '../attempts/index.js';
import { checkRelativePath, readChunk, type Uploads, type WorktreeRef } from '../files/index.js';
import type { Store } from '../store/index.js';

export interface FileServices {
  store: Store;
  attempts: Attempts;
  uploads: Pick<Uploads, 'write' | 'cancel'>;
}

type FileMethod = 'file.write' | 'file.cancel' | 'file.read';
type Handler<M extends MethodName> = (params: MethodParams<M>) => MethodResult<M> | Promise<MethodResult<M>>;

export function createFileHandlers({ store, attempts, uploads }: FileServices): { [M in FileMethod]: Handler<M> } {
  /** The worktree of an attempt (the newest by default); not_found for a task or attempt that does not exist. */
  const worktreeOf = (ref: { project?: string; cwd?: string; number: number; attempt?: number }): WorktreeRef => {
    const project = store.resolveProject(ref);
    store.getTask(project.id, ref.number);
    const session = attempts.attemptSession(project.id, ref.number, ref.attempt);
    return { path: session.worktree, what: `attempt ${session.attempt} of task ${ref.number}` };
  };

  return {
    'file.write': (params) => {
      // A path that could never be written is refused before the task is even looked up.
      checkRelativePath(params.path);
      return uploads.write(worktreeOf(params), params);
    },
    'file.cancel': async (params) => {
      await uploads.cancel(params.upload);
      return {};
    },
    'file.read': (params) => {
      checkRelativePath(params.path);
      return readChunk(worktreeOf(params), params.path, params.offset, params.length);
    },
  };
}
