// Where vibe keeps its files, as this CLI process sees them.
import { isAbsolute, join } from 'node:path';
import { resolvePaths, type VibePaths } from '@vibe/protocol/node';
import { currentDirectory } from './cwd.js';

/**
 * resolvePaths() for this process, with a relative VIBE_HOME resolved here through currentDirectory(): a
 * deleted cwd becomes one clear line, not a stack from inside resolvePaths.
 */
export function vibePaths(env: Record<string, string | undefined> = process.env): VibePaths {
  const home = env.VIBE_HOME;
  if (home && !isAbsolute(home)) return resolvePaths({ ...env, VIBE_HOME: join(currentDirectory(), home) });
  return resolvePaths(env);
}
