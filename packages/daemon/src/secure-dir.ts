// Creates and vets private directories (mode 0700, owned by us) the way tmux vets its socket directory.
import { lstatSync, mkdirSync } from 'node:fs';
import { SOCKET_PATH_MAX } from '@vibe/protocol/node';
import { StartupError } from './errors.js';

/**
 * Makes `path` (and missing parents) with mode 0700, then refuses to go on if it is not a real directory
 * owned by this user with no group or other permissions: another user could otherwise replace or read
 * the socket. An existing directory with loose permissions is refused, not silently fixed, so the user
 * learns that something else created it.
 */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const stat = lstatSync(path);
  const uid = process.getuid?.() ?? stat.uid;
  if (!stat.isDirectory()) {
    throw new StartupError('VIBE_UNSAFE_DIR', `${path} is not a directory (a symlink or file is in the way); remove it`);
  }
  if (stat.uid !== uid) {
    throw new StartupError('VIBE_UNSAFE_DIR', `${path} is owned by uid ${stat.uid}, not by you (uid ${uid}); refusing to use it`);
  }
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
    throw new StartupError(
      'VIBE_UNSAFE_DIR',
      `${path} has mode ${mode}; it must be private (run \`chmod 700 ${path}\`) — refusing to start`,
    );
  }
}

/** Unix socket paths are limited by sun_path; a longer one would be silently truncated by some systems. */
export function checkSocketPath(path: string): void {
  const length = Buffer.byteLength(path);
  if (length > SOCKET_PATH_MAX) {
    throw new StartupError(
      'VIBE_SOCKET_PATH_TOO_LONG',
      `socket path ${path} is ${length} bytes, over the OS limit of ${SOCKET_PATH_MAX}; use a shorter VIBE_HOME or XDG_RUNTIME_DIR`,
    );
  }
}
