// Tests for where vibe keeps its files: VIBE_HOME, the XDG variables, the macOS layout and the runtime fallback.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePaths, SOCKET_PATH_MAX } from './paths.js';

const uid = process.getuid?.() ?? 0;
const fallbackRuntime = `/tmp/vibe-${uid}`;

describe('resolvePaths with VIBE_HOME', () => {
  it('puts config, data, logs and the runtime dir under VIBE_HOME', () => {
    expect(resolvePaths({ VIBE_HOME: '/srv/vibe', HOME: '/home/ada' }, 'linux')).toEqual({
      home: '/srv/vibe',
      config: '/srv/vibe/config',
      configFile: '/srv/vibe/config/config.json',
      data: '/srv/vibe/data',
      database: '/srv/vibe/data/vibe.db',
      lockFile: '/srv/vibe/data/daemon.lock',
      pidFile: '/srv/vibe/data/daemon.pid',
      worktrees: '/srv/vibe/data/worktrees',
      logs: '/srv/vibe/logs',
      logFile: '/srv/vibe/logs/daemon.log',
      runtime: '/srv/vibe/run',
      socket: '/srv/vibe/run/daemon.sock',
    });
  });

  it('wins over the XDG variables and the macOS layout', () => {
    const env = { VIBE_HOME: '/v', HOME: '/home/ada', XDG_CONFIG_HOME: '/x/c', XDG_DATA_HOME: '/x/d', XDG_STATE_HOME: '/x/s', XDG_RUNTIME_DIR: '/x/r' };
    for (const platform of ['linux', 'darwin'] as const) {
      const paths = resolvePaths(env, platform);
      expect([paths.config, paths.data, paths.logs, paths.runtime], platform).toEqual(['/v/config', '/v/data', '/v/logs', '/v/run']);
    }
  });

  it('makes a relative VIBE_HOME absolute against the working directory', () => {
    const paths = resolvePaths({ VIBE_HOME: 'tmp/../state', HOME: '/home/ada' }, 'linux');
    expect(paths.home).toBe(join(process.cwd(), 'state'));
    expect(paths.socket).toBe(join(process.cwd(), 'state', 'run', 'daemon.sock'));
  });

  it('treats an empty VIBE_HOME as unset', () => {
    const paths = resolvePaths({ VIBE_HOME: '', HOME: '/home/ada' }, 'linux');
    expect(paths.home).toBeNull();
    expect(paths.config).toBe('/home/ada/.config/vibe');
  });
});

describe('resolvePaths on Linux', () => {
  it('follows the XDG defaults under HOME', () => {
    const paths = resolvePaths({ HOME: '/home/ada', XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux');
    expect(paths).toMatchObject({
      home: null,
      config: '/home/ada/.config/vibe',
      configFile: '/home/ada/.config/vibe/config.json',
      data: '/home/ada/.local/share/vibe',
      database: '/home/ada/.local/share/vibe/vibe.db',
      worktrees: '/home/ada/.local/share/vibe/worktrees',
      logs: '/home/ada/.local/state/vibe',
      logFile: '/home/ada/.local/state/vibe/daemon.log',
      runtime: '/run/user/1000/vibe',
      socket: '/run/user/1000/vibe/daemon.sock',
    });
  });

  it('honours XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME and XDG_RUNTIME_DIR', () => {
    const env = { HOME: '/home/ada', XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: '/dat', XDG_STATE_HOME: '/st', XDG_RUNTIME_DIR: '/rt' };
    const paths = resolvePaths(env, 'linux');
    expect([paths.config, paths.data, paths.logs, paths.runtime]).toEqual(['/cfg/vibe', '/dat/vibe', '/st/vibe', '/rt/vibe']);
  });

  it('falls back to /tmp/vibe-UID for the runtime dir without XDG_RUNTIME_DIR', () => {
    const paths = resolvePaths({ HOME: '/home/ada' }, 'linux');
    expect(paths.runtime).toBe(fallbackRuntime);
    expect(paths.socket).toBe(`${fallbackRuntime}/daemon.sock`);
    expect(paths.socket.length).toBeLessThan(SOCKET_PATH_MAX);
  });

  it('treats empty XDG variables as unset', () => {
    const env = { HOME: '/home/ada', XDG_CONFIG_HOME: '', XDG_DATA_HOME: '', XDG_STATE_HOME: '', XDG_RUNTIME_DIR: '' };
    const paths = resolvePaths(env, 'linux');
    expect([paths.config, paths.data, paths.logs, paths.runtime]).toEqual([
      '/home/ada/.config/vibe',
      '/home/ada/.local/share/vibe',
      '/home/ada/.local/state/vibe',
      fallbackRuntime,
    ]);
  });

  it('ignores relative XDG variables, as the XDG spec asks', () => {
    const env = { HOME: '/home/ada', XDG_CONFIG_HOME: 'cfg', XDG_DATA_HOME: './dat', XDG_STATE_HOME: 'st', XDG_RUNTIME_DIR: 'rt' };
    const paths = resolvePaths(env, 'linux');
    expect([paths.config, paths.data, paths.logs, paths.runtime]).toEqual([
      '/home/ada/.config/vibe',
      '/home/ada/.local/share/vibe',
      '/home/ada/.local/state/vibe',
      fallbackRuntime,
    ]);
  });

  it('uses the OS home directory when HOME is unset', () => {
    expect(resolvePaths({}, 'linux').config).toBe(join(homedir(), '.config', 'vibe'));
  });
});

describe('resolvePaths on macOS', () => {
  it('keeps config and data in Application Support, logs in Library/Logs and the socket under /tmp', () => {
    const paths = resolvePaths({ HOME: '/Users/ada' }, 'darwin');
    expect(paths).toMatchObject({
      home: null,
      config: '/Users/ada/Library/Application Support/vibe',
      configFile: '/Users/ada/Library/Application Support/vibe/config.json',
      data: '/Users/ada/Library/Application Support/vibe',
      database: '/Users/ada/Library/Application Support/vibe/vibe.db',
      logs: '/Users/ada/Library/Logs/vibe',
      logFile: '/Users/ada/Library/Logs/vibe/daemon.log',
      runtime: fallbackRuntime,
      socket: `${fallbackRuntime}/daemon.sock`,
    });
  });

  it('ignores the XDG variables', () => {
    const env = { HOME: '/Users/ada', XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: '/dat', XDG_STATE_HOME: '/st', XDG_RUNTIME_DIR: '/rt' };
    const paths = resolvePaths(env, 'darwin');
    expect([paths.config, paths.logs, paths.runtime]).toEqual([
      '/Users/ada/Library/Application Support/vibe',
      '/Users/ada/Library/Logs/vibe',
      fallbackRuntime,
    ]);
  });
});
