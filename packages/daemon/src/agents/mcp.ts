// `vibe mcp` in each agent's own configuration: the MCP server through which an agent lists tasks, creates a
// follow-up, reads another task's diff and passes messages through task inboxes. Every CLI gets it the way it
// takes a per-run setting, so no file the repository tracks is touched: Claude Code an inline --mcp-config,
// Codex `-c mcp_servers.vibe.*` overrides, Gemini CLI its git-excluded workspace settings (with the hooks).
import { joinText } from './files.js';
import { tomlArray, tomlString } from './quoting.js';
import type { AgentContext, McpServer } from './types.js';

/** The server's name in every agent's configuration; Claude Code shows its tools as mcp__vibe__<tool>. */
export const MCP_SERVER_NAME = 'vibe';

/** The tools `vibe mcp` serves, named in the note each agent reads. */
export const MCP_TOOLS = ['list_tasks', 'create_task', 'task_diff', 'post_message', 'read_inbox'] as const;

/** The stdio server entry as Claude Code's --mcp-config and Gemini CLI's mcpServers take it. */
export function mcpServerEntry(mcp: McpServer): { command: string; args: string[]; env: Record<string, string> } {
  return { command: mcp.command, args: [...mcp.args], env: { ...mcp.env } };
}

/** Claude Code's `--mcp-config` value: JSON given inline, so nothing is written for it. */
export function claudeMcpConfig(mcp: McpServer): string {
  return JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: { type: 'stdio', ...mcpServerEntry(mcp) } } });
}

/** Codex's `-c` overrides: each value is TOML, merged into the user's own config.toml for this run only. */
export function codexMcpArgs(mcp: McpServer): string[] {
  const key = `mcp_servers.${MCP_SERVER_NAME}`;
  return ['-c', `${key}.command=${tomlString(mcp.command)}`, '-c', `${key}.args=${tomlArray(mcp.args)}`, '-c', `${key}.env=${tomlTable(mcp.env)}`];
}

/**
 * The environment is spelled out in each configuration rather than inherited: Codex starts MCP servers with
 * a short list of variables only (PATH, HOME, …), so the task vibe mcp speaks for must travel in its config.
 */
function tomlTable(env: Record<string, string>): string {
  return `{${Object.entries(env)
    .map(([name, value]) => `${/^[A-Za-z0-9_-]+$/.test(name) ? name : tomlString(name)}=${tomlString(value)}`)
    .join(',')}}`;
}

/** What the agent is told about vibe's tools; empty when this launch has no MCP server. */
export function mcpNote(mcp: McpServer | undefined): string {
  if (!mcp) return '';
  const { project, task } = mcp;
  return [
    `## Other tasks (vibe)`,
    '',
    `You work on task ${task} of project "${project}", one of several tasks vibe runs at once, each agent in its own`,
    `git worktree. The MCP server "${MCP_SERVER_NAME}" connects you with the others: \`list_tasks\` shows every task of the`,
    `project, \`create_task\` adds a follow-up task, \`task_diff\` shows another task's changes, \`post_message\` leaves a`,
    `message in another task's inbox, and \`read_inbox\` returns the messages left for you (reading them tells their`,
    'sender they were delivered). Messages never appear in your terminal: read your inbox when you start, before you',
    'finish, and whenever you wait on another task.',
  ].join('\n');
}

/** The instructions with the note about vibe's tools after them. */
export function withMcpNote(ctx: Pick<AgentContext, 'instructions' | 'mcp'>): string {
  return joinText(ctx.instructions, mcpNote(ctx.mcp));
}
