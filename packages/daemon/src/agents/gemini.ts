// Gemini CLI: interactive after running the task as its first prompt; instructions travel in that prompt.
// State comes through hooks in .gemini/settings.json (git-excluded, never over a tracked file), which
// Gemini loads only in a trusted folder; output heuristics cover the rest. `vibe mcp` is in the same file.
// Its permission requests become approvals through a BeforeTool hook, where it surely runs (gemini-approvals.ts).
import { join } from 'node:path';
import { approvalHookGroup, approvalPolicy, hooksRun, policyArgs, POLICY_FILE } from './gemini-approvals.js';
import { geminiTrust } from './gemini-trust.js';
import { joinText } from './files.js';
import { MCP_SERVER_NAME, mcpServerEntry, withMcpNote } from './mcp.js';
import { shCommand } from './quoting.js';
import type { AgentAdapter, AgentContext, AgentLaunch, LaunchOptions } from './types.js';
import { GEMINI_WAITING, GENERIC_WAITING } from './waiting-patterns.js';

const SETTINGS_FILE = '.gemini/settings.json';
const HOOK_TIMEOUT_MS = 10_000;

type Env = Readonly<Record<string, string | undefined>>;

/** The adapter, reading Gemini's trust rules with `env` (HOME, GEMINI_CLI_* variables). */
export function geminiAgent(env: Env): AgentAdapter {
  return {
    name: 'gemini',
    command: 'gemini',
    // Its hooks run only where Gemini trusts the folder and has hooks enabled, which vibe cannot be sure of:
    // output heuristics lead, and the first hook report hands working and idle over to the hooks.
    usesHooks: false,
    waitingPatterns: [...GEMINI_WAITING, ...GENERIC_WAITING],
    launch: (ctx, options) => launchGemini(ctx, options, env),
  };
}

/**
 * The worktree is a checkout of the user's repository, so it gets the trust the user gave that repository:
 * when Gemini trusts the checkout (and has no rule of its own for the worktree), the session runs with
 * GEMINI_CLI_TRUST_WORKSPACE=true and the hooks load. Otherwise Gemini asks, as it would anywhere, and
 * loads them once the user trusts the folder.
 *
 * The `=` form of the prompt matters: `gemini -i --version` prints the version (yargs reads the value as a
 * flag), while `--prompt-interactive=--version` is a prompt. One argv element either way.
 */
async function launchGemini(ctx: AgentContext, { isTracked }: LaunchOptions, env: Env): Promise<AgentLaunch> {
  const launch: AgentLaunch = { argv: ['gemini'], env: {}, files: [], excludes: [], usesHooks: false };
  // Gemini takes MCP servers from its settings files only: with the repository's own settings file there,
  // the agent goes without vibe's tools (and is not told of them) rather than vibe rewriting that file.
  let mcp: AgentContext['mcp'];
  if (!(await isTracked(SETTINGS_FILE))) {
    mcp = ctx.mcp;
    Object.assign(launch.env, ctx.hook.env);
    if (geminiTrust(ctx.worktree, env) === undefined && geminiTrust(ctx.repository, env) === true) launch.env.GEMINI_CLI_TRUST_WORKSPACE = 'true';
    // Permission requests go through vibe only where Gemini surely runs its hooks (see gemini-approvals.ts).
    const trusted = launch.env.GEMINI_CLI_TRUST_WORKSPACE === 'true' || geminiTrust(ctx.worktree, env) === true;
    const approvals = trusted && hooksRun(env) && !(await isTracked(POLICY_FILE));
    const settings = { ...geminiHookSettings(ctx.hook.argv, approvals), ...(mcp && { mcpServers: { [MCP_SERVER_NAME]: mcpServerEntry(mcp) } }) };
    launch.files.push({ path: SETTINGS_FILE, content: `${JSON.stringify(settings, null, 2)}\n` });
    launch.excludes.push(`/${SETTINGS_FILE}`);
    if (approvals) {
      launch.files.push({ path: POLICY_FILE, content: approvalPolicy() });
      launch.excludes.push(`/${POLICY_FILE}`);
      launch.argv.push(...policyArgs(join(ctx.worktree, POLICY_FILE), env));
    }
  }
  const prompt = joinText(withMcpNote({ instructions: ctx.instructions, mcp }), ctx.prompt);
  if (prompt !== '') launch.argv.push(`--prompt-interactive=${prompt}`);
  return launch;
}

/**
 * Gemini CLI's hooks: each event holds groups of `{ type: "command", command }`, the command one sh string,
 * its stdout read as JSON (the state hooks print nothing). A tool running means the agent is working again
 * after an approval; Notification fires only for tool permission prompts. Names keep Gemini's "project hooks"
 * notice short. With `approvals`, a BeforeTool group holds the tools vibe gates until they are answered.
 */
export function geminiHookSettings(hookArgv: readonly string[], approvals = false): { hooks: Record<string, unknown[]> } {
  const group = (state: string) => ({
    hooks: [{ type: 'command', name: `vibe-${state}`, command: shCommand([...hookArgv, state]), timeout: HOOK_TIMEOUT_MS }],
  });
  return {
    hooks: {
      BeforeAgent: [group('working')],
      BeforeTool: [group('working'), ...(approvals ? [approvalHookGroup(hookArgv)] : [])],
      AfterTool: [group('working')],
      Notification: [group('waiting')],
      AfterAgent: [group('idle')],
    },
  };
}
