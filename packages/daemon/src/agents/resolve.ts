// Picks the adapter for an agent name and checks its program is installed, before any state is created.
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ProtocolError } from '@vibe/protocol';
import { claude } from './claude.js';
import { codex } from './codex.js';
import { customAgent } from './custom.js';
import { geminiAgent } from './gemini.js';
import { shellAgent } from './shell.js';
import type { AgentAdapter } from './types.js';

/** Agents vibe ships adapters for. */
export const BUILTIN_AGENTS = ['claude', 'codex', 'gemini', 'shell'] as const;

const INSTALL_HINTS: Record<string, string> = {
  claude: 'npm i -g @anthropic-ai/claude-code',
  codex: 'npm i -g @openai/codex',
  gemini: 'npm i -g @google/gemini-cli',
};

/** Built-in agents plus the custom ones named in the config, sorted. */
export function knownAgents(custom: Record<string, unknown>): string[] {
  return [...new Set([...BUILTIN_AGENTS, ...Object.keys(custom)])].sort();
}

export interface AgentsConfig {
  agents: Record<string, Record<string, unknown>>;
}

/**
 * The adapter for `name`: a custom agent from the config (which may replace a built-in of the same name),
 * else a built-in. Throws `invalid_params` for an unknown name, a bad config entry, or a program that is
 * not installed — all before the caller creates a worktree or a session.
 */
export function resolveAgent(name: string, config: AgentsConfig, env: { PATH?: string; SHELL?: string }): AgentAdapter {
  const custom = Object.hasOwn(config.agents, name) ? config.agents[name] : undefined;
  const adapter = custom !== undefined ? customAgent(name, custom) : builtin(name, env);
  if (adapter === undefined) {
    throw new ProtocolError('invalid_params', `unknown agent "${name}"; known agents: ${knownAgents(config.agents).join(', ')}`);
  }
  requireProgram(adapter, env.PATH ?? '');
  return adapter;
}

function builtin(name: string, env: { SHELL?: string }): AgentAdapter | undefined {
  switch (name) {
    case 'claude':
      return claude;
    case 'codex':
      return codex;
    case 'gemini':
      return geminiAgent(env);
    case 'shell':
      return shellAgent(env);
    default:
      return undefined;
  }
}

/** A relative path with a slash (`./bin/agent`) names a file in the worktree, which does not exist yet. */
function requireProgram(adapter: AgentAdapter, path: string): void {
  const command = adapter.command;
  if (isAbsolute(command)) {
    if (!isExecutable(command)) throw new ProtocolError('invalid_params', `agent "${adapter.name}" needs ${command}, which is missing or not executable`);
    return;
  }
  if (command.includes('/')) return;
  if (findOnPath(command, path) !== undefined) return;
  const hint = INSTALL_HINTS[adapter.name];
  throw new ProtocolError('invalid_params', `agent "${adapter.name}" needs \`${command}\` on PATH${hint !== undefined && command === adapter.name ? `; install it with ${hint}` : ''}`);
}

/** The first executable file named `command` in the PATH directories (empty entries, meaning cwd, skipped). */
export function findOnPath(command: string, path: string): string | undefined {
  for (const dir of path.split(':')) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
