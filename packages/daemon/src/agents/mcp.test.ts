// `vibe mcp` wired into each built-in agent: the exact argv or settings each CLI reads, the note in its
// instructions, and nothing at all when the launch has no MCP server or the repository tracks the file.
import { describe, expect, it } from 'vitest';
import { claude } from './claude.js';
import { approvalHookArgs, codex } from './codex.js';
import { geminiAgent } from './gemini.js';
import { claudeMcpConfig, codexMcpArgs, MCP_TOOLS, mcpNote } from './mcp.js';
import type { AgentContext, LaunchOptions, McpServer } from './types.js';

const HOOK = ['/usr/bin/node', '/data/vibe/hook.js'];
const MCP: McpServer = {
  command: '/usr/bin/node',
  args: ['/opt/vibe/dist/main.js', 'mcp'],
  env: { VIBE_SOCKET: '/run/vibe/daemon.sock', VIBE_PROJECT: 'app', VIBE_TASK: '3', VIBE_ATTEMPT: '2' },
  project: 'app',
  task: 3,
};

function ctx(over: Partial<AgentContext> = {}): AgentContext {
  return { sessionId: 7, worktree: '/nonexistent/wt', repository: '/nonexistent/repo', prompt: 'Fix it', instructions: '', hook: { argv: HOOK, env: {} }, mcp: MCP, ...over };
}

const untracked: LaunchOptions = { isTracked: () => Promise.resolve(false) };
const tracking = (...names: string[]): LaunchOptions => ({ isTracked: (rel) => Promise.resolve(names.includes(rel)) });

describe('the note agents read about vibe mcp', () => {
  it('names the task, the project, the server and every tool, and says messages come only through the inbox', () => {
    const note = mcpNote(MCP);
    expect(note).toContain('task 3 of project "app"');
    expect(note).toContain('MCP server "vibe"');
    for (const tool of MCP_TOOLS) expect(note).toContain(`\`${tool}\``);
    expect(note).toMatch(/never appear in your terminal/);
    expect(mcpNote(undefined)).toBe('');
  });
});

describe('claude with vibe mcp', () => {
  it('gets the server as inline --mcp-config JSON, before the prompt, and the note in CLAUDE.local.md', async () => {
    const launch = await claude.launch(ctx({ instructions: 'Use pnpm.' }), untracked);
    expect(launch.argv).toEqual(['claude', '--mcp-config', claudeMcpConfig(MCP), '--', 'Fix it']);
    expect(JSON.parse(claudeMcpConfig(MCP))).toEqual({
      mcpServers: { vibe: { type: 'stdio', command: '/usr/bin/node', args: ['/opt/vibe/dist/main.js', 'mcp'], env: MCP.env } },
    });
    const file = launch.files.find((f) => f.path === 'CLAUDE.local.md');
    expect(file?.content).toBe(`Use pnpm.\n\n${mcpNote(MCP)}\n`);
    expect(launch.excludes).toContain('/CLAUDE.local.md');
  });

  it('appends the note to the system prompt when the repository tracks CLAUDE.local.md', async () => {
    const launch = await claude.launch(ctx(), tracking('CLAUDE.local.md'));
    expect(launch.argv.slice(0, 5)).toEqual(['claude', '--mcp-config', claudeMcpConfig(MCP), '--append-system-prompt', mcpNote(MCP)]);
    expect(launch.files.map((f) => f.path)).toEqual(['.claude/settings.local.json']);
  });

  it('is launched as before without a server: no --mcp-config, no note, no instruction file', async () => {
    const launch = await claude.launch(ctx({ mcp: undefined }), untracked);
    expect(launch.argv).toEqual(['claude', '--', 'Fix it']);
    expect(launch.files.map((f) => f.path)).toEqual(['.claude/settings.local.json']);
  });
});

describe('codex with vibe mcp', () => {
  it('gets the server as -c mcp_servers.vibe overrides in TOML, and the note in AGENTS.override.md', async () => {
    const launch = await codex.launch(ctx(), untracked);
    expect(launch.argv).toEqual([
      'codex',
      '-c',
      'notify=["/usr/bin/node","/data/vibe/hook.js","idle"]',
      ...approvalHookArgs(['/usr/bin/node', '/data/vibe/hook.js']),
      '-c',
      'mcp_servers.vibe.command="/usr/bin/node"',
      '-c',
      'mcp_servers.vibe.args=["/opt/vibe/dist/main.js","mcp"]',
      '-c',
      'mcp_servers.vibe.env={VIBE_SOCKET="/run/vibe/daemon.sock",VIBE_PROJECT="app",VIBE_TASK="3",VIBE_ATTEMPT="2"}',
      '--',
      'Fix it',
    ]);
    expect(launch.files).toEqual([{ path: 'AGENTS.override.md', content: `${mcpNote(MCP)}\n` }]);
  });

  it('quotes paths and values TOML would misread', () => {
    const odd = { ...MCP, command: '/opt/my "node"', args: ['C:\\x'], env: { 'ODD NAME': 'a"b' } };
    expect(codexMcpArgs(odd)).toEqual(['-c', 'mcp_servers.vibe.command="/opt/my \\"node\\""', '-c', 'mcp_servers.vibe.args=["C:\\\\x"]', '-c', 'mcp_servers.vibe.env={"ODD NAME"="a\\"b"}']);
  });

  it('puts the note in the prompt when the repository tracks AGENTS.override.md', async () => {
    const launch = await codex.launch(ctx(), tracking('AGENTS.override.md'));
    expect(launch.files).toEqual([]);
    expect(launch.argv.at(-1)).toBe(`${mcpNote(MCP)}\n\nFix it`);
  });
});

describe('gemini with vibe mcp', () => {
  const gemini = geminiAgent({ HOME: '/nonexistent/home' });

  it('gets the server in .gemini/settings.json beside its hooks, and the note before the prompt', async () => {
    const launch = await gemini.launch(ctx(), untracked);
    const settings = JSON.parse(launch.files.find((f) => f.path === '.gemini/settings.json')!.content) as Record<string, unknown>;
    expect(settings.mcpServers).toEqual({ vibe: { command: '/usr/bin/node', args: ['/opt/vibe/dist/main.js', 'mcp'], env: MCP.env } });
    expect(settings.hooks).toBeDefined();
    expect(launch.excludes).toEqual(['/.gemini/settings.json']);
    expect(launch.argv).toEqual(['gemini', `--prompt-interactive=${mcpNote(MCP)}\n\nFix it`]);
  });

  it('goes without the server, and is not told of it, when the repository tracks .gemini/settings.json', async () => {
    const launch = await gemini.launch(ctx(), tracking('.gemini/settings.json'));
    expect(launch.files).toEqual([]);
    expect(launch.argv).toEqual(['gemini', '--prompt-interactive=Fix it']);
  });
});
