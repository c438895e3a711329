// The agents a client may offer when it creates a task: each known name, whether vibe ships it, and whether
// task.start could run it now.
import type { AgentInfo } from '@vibe/protocol';
import { knownAgents, resolveAgent, type AgentsConfig } from './resolve.js';

/**
 * Available means resolveAgent accepts it, the same check task.start makes first: the program is on PATH or
 * an executable absolute path, and a custom entry is valid. A command relative to the worktree
 * (`./bin/agent`) counts as available: it can only be found once a worktree exists.
 */
export function listAgents(config: AgentsConfig, env: { PATH?: string; SHELL?: string }): AgentInfo[] {
  return knownAgents(config.agents).map((name) => ({
    name,
    // A config entry replaces a built-in of the same name, so it is the config's program that runs.
    builtin: !Object.hasOwn(config.agents, name),
    available: runnable(name, config, env),
  }));
}

function runnable(name: string, config: AgentsConfig, env: { PATH?: string; SHELL?: string }): boolean {
  try {
    resolveAgent(name, config, env);
    return true;
  } catch {
    return false;
  }
}
