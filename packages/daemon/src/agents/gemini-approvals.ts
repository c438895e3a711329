// Gemini CLI's permission requests through vibe. Gemini's BeforeTool hook can deny a tool or send it to Gemini's
// dialog ("ask"), but an "allow" does not skip the dialog: its policy still asks for the tools that change things.
// So vibe gates exactly those tools itself — its BeforeTool hook holds each call as an approval — and a policy file
// of vibe's lets them run once the hook returns allow. Without an answer the hook says "ask": Gemini's own dialog.
// Only where Gemini surely runs the hook (a trusted folder, hooks not turned off), or the policy would let those
// tools run unasked.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { shCommand } from './quoting.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The tools Gemini 0.61's own policy (policies/write.toml) asks about in its default mode. */
export const GATED_TOOLS = ['write_file', 'replace', 'run_shell_command', 'web_fetch'] as const;
export const APPROVAL_HOOK_NAME = 'vibe-approval';
/** Where the policy goes in the worktree (git-excluded), beside vibe's settings. */
export const POLICY_FILE = '.gemini/vibe-approvals.toml';
/**
 * The hook waits for a person as long as a day. Gemini reads a hook that timed out, or failed, as allow (and
 * vibe's policy lets the gated tools run), so the hook answers "ask" itself before this (HOOK_DEADLINE_MS) and
 * on any signal, and the command prints "ask" when the hook program cannot run at all.
 */
export const APPROVAL_TIMEOUT_MS = 24 * 60 * 60 * 1000;
export const NO_ANSWER = '{"decision":"ask"}';

/** The BeforeTool group that holds the gated tools' calls until an approval is answered. */
export function approvalHookGroup(hookArgv: readonly string[]): Record<string, unknown> {
  const command = `${shCommand([...hookArgv, 'approval', 'gemini'])} || printf '%s\\n' '${NO_ANSWER}'`;
  return {
    matcher: `^(${GATED_TOOLS.join('|')})$`,
    hooks: [{ type: 'command', name: APPROVAL_HOOK_NAME, command, timeout: APPROVAL_TIMEOUT_MS }],
  };
}

/**
 * In the user tier (`--policy`), above Gemini's defaults and below the user's own rules at the same priority or
 * higher; only in the default mode, where those defaults ask.
 */
export function approvalPolicy(): string {
  return [
    '# Written by vibe: these tools ask through vibe\'s approval hook (BeforeTool "vibe-approval"), which holds',
    '# each call until it is allowed or denied; the hook answers "ask" to bring Gemini\'s own dialog back.',
    '[[rule]]',
    `toolName = [${GATED_TOOLS.map((tool) => `"${tool}"`).join(', ')}]`,
    'decision = "allow"',
    'priority = 100',
    'modes = ["default"]',
    'interactive = true',
    '',
  ].join('\n');
}

/**
 * `--policy` replaces Gemini's user policy folder (~/.gemini/policies) with what it names, so that folder, when
 * it exists, is named again before vibe's file.
 */
export function policyArgs(policyPath: string, env: Env): string[] {
  const userPolicies = join(geminiHome(env), '.gemini', 'policies');
  return [...(existsSync(userPolicies) ? ['--policy', userPolicies] : []), '--policy', policyPath];
}

/**
 * False when the user's or the system's Gemini settings, or the system defaults beneath them, turn hooks off or
 * disable vibe's by name, or cannot be read to tell (Gemini allows comments in them): vibe then leaves Gemini's
 * dialog alone.
 */
export function hooksRun(env: Env): boolean {
  const system = env.GEMINI_CLI_SYSTEM_SETTINGS_PATH || '/etc/gemini-cli/settings.json';
  const defaults = env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH || join(dirname(system), 'system-defaults.json');
  return [join(geminiHome(env), '.gemini', 'settings.json'), system, defaults].every((path) => {
    if (!existsSync(path)) return true;
    try {
      const hooks = (JSON.parse(readFileSync(path, 'utf8')) as { hooksConfig?: { enabled?: unknown; disabled?: unknown } }).hooksConfig;
      return hooks?.enabled !== false && !(Array.isArray(hooks?.disabled) && hooks.disabled.includes(APPROVAL_HOOK_NAME));
    } catch {
      return false;
    }
  });
}

function geminiHome(env: Env): string {
  return env.GEMINI_CLI_HOME || homedir();
}
