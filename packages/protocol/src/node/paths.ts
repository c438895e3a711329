// Where vibe keeps its files. VIBE_HOME puts everything under one directory; otherwise the OS conventions.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface VibePaths {
  /** VIBE_HOME when set, else null. */
  home: string | null;
  config: string;
  configFile: string;
  data: string;
  database: string;
  /** Held (as an OS file lock) by the running daemon; guards the database. */
  lockFile: string;
  pidFile: string;
  worktrees: string;
  logs: string;
  logFile: string;
  /** The 0700 directory holding the control socket. */
  runtime: string;
  socket: string;
}

/** sun_path holds 108 bytes on Linux and 104 on macOS, including the terminating NUL. */
export const SOCKET_PATH_MAX = process.platform === 'linux' ? 107 : 103;

type Env = Record<string, string | undefined>;

export function resolvePaths(env: Env = process.env, platform: NodeJS.Platform = process.platform): VibePaths {
  const vibeHome = env.VIBE_HOME ? absolute(env.VIBE_HOME) : null;
  const home = env.HOME || homedir();
  let config: string;
  let data: string;
  let logs: string;
  let runtime: string;
  if (vibeHome) {
    config = join(vibeHome, 'config');
    data = join(vibeHome, 'data');
    logs = join(vibeHome, 'logs');
    runtime = join(vibeHome, 'run');
  } else if (platform === 'darwin') {
    config = join(home, 'Library', 'Application Support', 'vibe');
    data = config;
    logs = join(home, 'Library', 'Logs', 'vibe');
    runtime = fallbackRuntime();
  } else {
    // The XDG spec says a relative value is invalid and must be ignored (it would depend on the cwd).
    const xdg = (name: string): string | undefined => (env[name]?.startsWith('/') ? env[name] : undefined);
    config = join(xdg('XDG_CONFIG_HOME') ?? join(home, '.config'), 'vibe');
    data = join(xdg('XDG_DATA_HOME') ?? join(home, '.local', 'share'), 'vibe');
    logs = join(xdg('XDG_STATE_HOME') ?? join(home, '.local', 'state'), 'vibe');
    const runtimeDir = xdg('XDG_RUNTIME_DIR');
    runtime = runtimeDir ? join(runtimeDir, 'vibe') : fallbackRuntime();
  }
  return {
    home: vibeHome,
    config,
    configFile: join(config, 'config.json'),
    data,
    database: join(data, 'vibe.db'),
    lockFile: join(data, 'daemon.lock'),
    pidFile: join(data, 'daemon.pid'),
    worktrees: join(data, 'worktrees'),
    logs,
    logFile: join(logs, 'daemon.log'),
    runtime,
    socket: join(runtime, 'daemon.sock'),
  };
}

/** A short path, like tmux's /tmp/tmux-UID, so the socket path stays far below the sun_path limit. */
function fallbackRuntime(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return `/tmp/vibe-${uid}`;
}

function absolute(path: string): string {
  return path.startsWith('/') ? path : join(process.cwd(), path);
}
