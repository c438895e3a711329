// vibePaths: the protocol's paths, with a relative VIBE_HOME resolved against the current directory here.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { vibePaths } from './paths.js';

describe('vibePaths', () => {
  it('resolves a relative VIBE_HOME against the current directory', () => {
    const paths = vibePaths({ HOME: '/home/u', VIBE_HOME: 'state' });
    expect(paths.home).toBe(join(process.cwd(), 'state'));
    expect(paths.socket).toBe(join(process.cwd(), 'state', 'run', 'daemon.sock'));
  });

  it('leaves an absolute VIBE_HOME alone', () => {
    expect(vibePaths({ HOME: '/home/u', VIBE_HOME: '/srv/vibe' }).logFile).toBe('/srv/vibe/logs/daemon.log');
  });
});
