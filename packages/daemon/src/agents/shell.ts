// The user's own shell in the worktree: no prompt, no files, no hooks.
import type { AgentAdapter, AgentLaunch } from './types.js';
import { GENERIC_WAITING } from './waiting-patterns.js';

/** `$SHELL` when it is an absolute path, else /bin/sh. */
export function shellAgent(env: { SHELL?: string }): AgentAdapter {
  const shell = env.SHELL !== undefined && env.SHELL.startsWith('/') ? env.SHELL : '/bin/sh';
  return {
    name: 'shell',
    command: shell,
    usesHooks: false,
    waitingPatterns: [...GENERIC_WAITING],
    launch: (): Promise<AgentLaunch> => Promise.resolve({ argv: [shell], env: {}, files: [], excludes: [], usesHooks: false }),
  };
}
