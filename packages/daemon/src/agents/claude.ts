// Claude Code: interactive with the task as its first prompt; instructions in CLAUDE.local.md and state
// through hooks in .claude/settings.local.json, both git-excluded and never over a tracked file; `vibe mcp`
// through an inline --mcp-config.
import { asFileText } from './files.js';
import { claudeMcpConfig, withMcpNote } from './mcp.js';
import { shCommand } from './quoting.js';
import type { AgentAdapter, AgentContext, AgentLaunch, LaunchOptions } from './types.js';
import { CLAUDE_WAITING, GENERIC_WAITING } from './waiting-patterns.js';

const INSTRUCTIONS_FILE = 'CLAUDE.local.md';
const SETTINGS_FILE = '.claude/settings.local.json';
const HOOK_TIMEOUT_SECONDS = 10;
/** The permission hook waits for a person: as long as a day, after which Claude Code's own dialog decides. */
export const APPROVAL_TIMEOUT_SECONDS = 24 * 60 * 60;

export const claude: AgentAdapter = {
  name: 'claude',
  command: 'claude',
  usesHooks: true,
  waitingPatterns: [...CLAUDE_WAITING, ...GENERIC_WAITING],
  dialogBesideHook: true,
  launch: launchClaude,
};

async function launchClaude(ctx: AgentContext, { isTracked }: LaunchOptions): Promise<AgentLaunch> {
  const launch: AgentLaunch = { argv: ['claude'], env: { ...ctx.hook.env }, files: [], excludes: [], usesHooks: true };
  // Added to the servers the user configured, never instead of them (no --strict-mcp-config).
  if (ctx.mcp) launch.argv.push('--mcp-config', claudeMcpConfig(ctx.mcp));
  const instructions = withMcpNote(ctx);
  if (instructions.trim() !== '') {
    if (await isTracked(INSTRUCTIONS_FILE)) {
      launch.argv.push('--append-system-prompt', instructions);
    } else {
      launch.files.push({ path: INSTRUCTIONS_FILE, content: asFileText(instructions) });
      launch.excludes.push(`/${INSTRUCTIONS_FILE}`);
    }
  }
  const settings = JSON.stringify(hookSettings(ctx.hook.argv), null, 2);
  if (await isTracked(SETTINGS_FILE)) {
    launch.argv.push('--settings', settings); // the same hooks, loaded as additional settings
  } else {
    launch.files.push({ path: SETTINGS_FILE, content: `${settings}\n` });
    launch.excludes.push(`/${SETTINGS_FILE}`);
  }
  if (ctx.prompt !== '') launch.argv.push('--', claudePrompt(ctx.prompt));
  return launch;
}

/**
 * `--` keeps a prompt starting with `-` from being read as an option. It does not stop a one-word prompt
 * that names (or resembles) a subcommand — `claude -- update` still runs the updater, `claude -- Project`
 * fails with "unknown command" (seen with 2.1.197) — so a prompt without whitespace gets a trailing newline.
 */
export function claudePrompt(prompt: string): string {
  return /\s/.test(prompt) ? prompt : `${prompt}\n`;
}

/**
 * Claude Code's hooks: each event holds matcher groups of `{ type: "command", command }`, the command a
 * single sh string. PostToolUse marks `working` again once an approved tool runs; Notification only for
 * permission prompts and questions (its `idle_prompt` reminder, a minute after Stop, is not "waiting").
 * PermissionRequest runs beside Claude Code's own permission dialog, whichever answers first: vibe's hook
 * returns allow or deny once a person answers the approval, and the dialog stays usable at the desk.
 */
export function hookSettings(hookArgv: readonly string[]): { hooks: Record<string, unknown[]> } {
  const group = (state: string, matcher?: string) => ({
    ...(matcher === undefined ? {} : { matcher }),
    hooks: [{ type: 'command', command: shCommand([...hookArgv, state]), timeout: HOOK_TIMEOUT_SECONDS }],
  });
  return {
    hooks: {
      UserPromptSubmit: [group('working')],
      PreToolUse: [group('working', '*')],
      PostToolUse: [group('working', '*')],
      Notification: [group('waiting', 'permission_prompt|elicitation_dialog')],
      Stop: [group('idle')],
      PermissionRequest: [{ matcher: '*', hooks: [{ type: 'command', command: shCommand([...hookArgv, 'approval', 'claude']), timeout: APPROVAL_TIMEOUT_SECONDS }] }],
    },
  };
}
