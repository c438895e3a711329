// The agents room: which agent CLIs vibe knows. Launching and state detection arrive with sessions.

/** Agents vibe ships adapters for. */
export const BUILTIN_AGENTS = ['claude', 'codex', 'gemini', 'shell'] as const;

/** Built-in agents plus the custom ones named in the config, sorted. */
export function knownAgents(custom: Record<string, unknown>): string[] {
  return [...new Set([...BUILTIN_AGENTS, ...Object.keys(custom)])].sort();
}
