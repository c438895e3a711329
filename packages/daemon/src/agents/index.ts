// The agents room's public entry: an adapter per agent CLI — how to launch it with the task, where its
// instructions go, how its state is reported — plus custom agents from the config.
export { listAgents } from './agent-list.js';
export { BUILTIN_AGENTS, findOnPath, knownAgents, resolveAgent, type AgentsConfig } from './resolve.js';
export { HOOK_ENV_KEYS, type AgentAdapter, type AgentContext, type AgentLaunch, type LaunchOptions, type McpServer } from './types.js';
export { MCP_SERVER_NAME, MCP_TOOLS } from './mcp.js';
export { CustomAgentConfig, PROMPT_PLACEHOLDER } from './custom.js';
export { safeRelativePath, writeAgentFiles } from './files.js';
export { CLAUDE_WAITING, CODEX_WAITING, GEMINI_WAITING, GENERIC_WAITING } from './waiting-patterns.js';
