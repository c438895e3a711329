// The files room's public entry: uploads into an attempt's worktree and downloads out of it (protocol 1.4),
// with the path checks that keep both inside the worktree.
export { Uploads, type UploadsOptions } from './uploads.js';
export { readChunk } from './download.js';
export { checkRelativePath, type WorktreeRef } from './worktree-path.js';
