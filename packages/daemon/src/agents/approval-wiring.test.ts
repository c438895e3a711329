// How each agent's permission requests reach vibe: Claude Code's and Codex's PermissionRequest hooks, Gemini CLI's
// BeforeTool hook with vibe's policy (only where Gemini surely runs hooks), and screen keys for the dialogs no hook
// holds (Codex's) and for custom agents.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decisionOutput, HOOK_DEADLINE_MS } from '../approval-hook.js';
import { APPROVAL_TIMEOUT_SECONDS, claude, hookSettings } from './claude.js';
import { approvalHookArgs, codex, hookHash } from './codex.js';
import { customAgent } from './custom.js';
import { geminiAgent } from './gemini.js';
import { approvalHookGroup, approvalPolicy, GATED_TOOLS, hooksRun } from './gemini-approvals.js';
import type { AgentContext, LaunchOptions } from './types.js';
import { tempDir } from '../worktrees/temp-repo.js';

const HOOK = ['/usr/bin/node', '/data/vibe/hook.js'];
const HOOK_ENV = { VIBE_SESSION: '7', VIBE_HOOK_TOKEN: 't0k', VIBE_SOCKET: '/run/vibe.sock', VIBE_HOOK_NODE: HOOK[0]!, VIBE_HOOK_SCRIPT: HOOK[1]! };
const ctx = (): AgentContext => ({ sessionId: 7, worktree: '/nonexistent/wt', repository: '/nonexistent/repo', prompt: 'Fix it', instructions: '', hook: { argv: HOOK, env: HOOK_ENV } });
const untracked: LaunchOptions = { isTracked: () => Promise.resolve(false) };

/** A Gemini home (GEMINI_CLI_HOME) that trusts the repository, with `settings` as the user's settings.json. */
function geminiHome(settings?: string): Record<string, string> {
  const home = tempDir();
  mkdirSync(join(home, '.gemini'));
  writeFileSync(join(home, '.gemini', 'trustedFolders.json'), JSON.stringify({ '/nonexistent/repo': 'TRUST_FOLDER' }));
  if (settings !== undefined) writeFileSync(join(home, '.gemini', 'settings.json'), settings);
  return { GEMINI_CLI_HOME: home, GEMINI_CLI_SYSTEM_SETTINGS_PATH: join(home, 'no-system-settings.json') };
}

/** A trusting Gemini home whose system defaults (beneath every other settings file) are `defaults`. */
function systemDefaults(defaults: string): Record<string, string> {
  const env = geminiHome();
  const path = join(env.GEMINI_CLI_HOME!, 'system-defaults.json');
  writeFileSync(path, defaults);
  return { ...env, GEMINI_CLI_SYSTEM_DEFAULTS_PATH: path };
}

const settingsOf = (launch: { files: Array<{ path: string; content: string }> }): { hooks: Record<string, Array<Record<string, unknown>>> } =>
  JSON.parse(launch.files.find((file) => file.path === '.gemini/settings.json')!.content) as never;

describe('Claude Code', () => {
  it('asks vibe from its PermissionRequest hook, beside its own dialog, and types nothing', () => {
    expect(hookSettings(HOOK).hooks.PermissionRequest).toEqual([
      { matcher: '*', hooks: [{ type: 'command', command: "'/usr/bin/node' '/data/vibe/hook.js' 'approval' 'claude'", timeout: 86_400 }] },
    ]);
    expect(claude.screenKeys).toBeUndefined();
  });
});

describe('Gemini CLI', () => {
  it('holds the tools its policy asks about in a BeforeTool hook, and lets them run through vibe\'s policy once answered', async () => {
    const env = geminiHome();
    const launch = await geminiAgent(env).launch(ctx(), untracked);
    expect(settingsOf(launch).hooks.BeforeTool).toEqual([
      { hooks: [{ type: 'command', name: 'vibe-working', command: "'/usr/bin/node' '/data/vibe/hook.js' 'working'", timeout: 10_000 }] },
      {
        matcher: '^(write_file|replace|run_shell_command|web_fetch)$',
        hooks: [{ type: 'command', name: 'vibe-approval', command: `'/usr/bin/node' '/data/vibe/hook.js' 'approval' 'gemini' || printf '%s\\n' '{"decision":"ask"}'`, timeout: 86_400_000 }],
      },
    ]);
    expect(launch.files.find((file) => file.path === '.gemini/vibe-approvals.toml')?.content).toBe(approvalPolicy());
    expect(launch.excludes).toEqual(['/.gemini/settings.json', '/.gemini/vibe-approvals.toml']);
    expect(launch.argv.slice(0, 3)).toEqual(['gemini', '--policy', '/nonexistent/wt/.gemini/vibe-approvals.toml']);
    expect(approvalPolicy()).toContain(`toolName = [${GATED_TOOLS.map((tool) => `"${tool}"`).join(', ')}]\ndecision = "allow"`);
  });

  it('is answered "ask" (its own dialog), never silence, when the hook program cannot run or would outwait Gemini', () => {
    const { hooks } = approvalHookGroup(['/nonexistent/node', '/data/vibe/hook.js']) as { hooks: Array<{ command: string; timeout: number }> };
    const run = spawnSync('sh', ['-c', hooks[0]!.command], { encoding: 'utf8' });
    expect(run.stdout).toBe('{"decision":"ask"}\n');
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(decisionOutput('gemini', undefined)));
    // The hook gives up before either agent would time it out.
    expect(HOOK_DEADLINE_MS).toBeLessThan(hooks[0]!.timeout);
    expect(HOOK_DEADLINE_MS).toBeLessThan(APPROVAL_TIMEOUT_SECONDS * 1000);
  });

  it("names the user's own policy folder again, since --policy replaces it", async () => {
    const env = geminiHome();
    mkdirSync(join(env.GEMINI_CLI_HOME!, '.gemini', 'policies'));
    const { argv } = await geminiAgent(env).launch(ctx(), untracked);
    expect(argv.slice(0, 5)).toEqual(['gemini', '--policy', join(env.GEMINI_CLI_HOME!, '.gemini', 'policies'), '--policy', '/nonexistent/wt/.gemini/vibe-approvals.toml']);
  });

  it('leaves its own dialog alone where the hook might not run: untrusted, hooks off, vibe\'s hook disabled, settings unreadable', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['a folder Gemini would ask about', { ...geminiHome(), GEMINI_CLI_TRUSTED_FOLDERS_PATH: '/nonexistent/trustedFolders.json' }],
      ['hooks turned off', geminiHome(JSON.stringify({ hooksConfig: { enabled: false } }))],
      ["vibe's hook disabled by name", geminiHome(JSON.stringify({ hooksConfig: { disabled: ['vibe-approval'] } }))],
      ['settings with comments', geminiHome('{ // mine\n "hooksConfig": {} }')],
      ['hooks off in the system defaults', systemDefaults(JSON.stringify({ hooksConfig: { enabled: false } }))],
    ];
    for (const [what, env] of cases) {
      const launch = await geminiAgent(env).launch(ctx(), untracked);
      expect(launch.argv, what).not.toContain('--policy');
      expect(launch.files.map((file) => file.path), what).toEqual(['.gemini/settings.json']);
      expect(settingsOf(launch).hooks.BeforeTool, what).toHaveLength(1);
    }
    expect(hooksRun(geminiHome(JSON.stringify({ hooksConfig: { enabled: true, disabled: ['other'] } })))).toBe(true);
  });

  it('has no screen keys: its dialogs are answered at the desk where the hook is not wired', () => {
    expect(geminiAgent({}).screenKeys).toBeUndefined();
  });
});

describe('Codex', () => {
  it('asks vibe from a PermissionRequest hook given through -c, trusted for this session by its hash', async () => {
    const { argv } = await codex.launch(ctx(), untracked);
    const command = "'/usr/bin/node' '/data/vibe/hook.js' 'approval' 'codex'";
    const args = approvalHookArgs(HOOK);
    expect(args).toEqual([
      '-c',
      `hooks.PermissionRequest=[{hooks=[{type="command",command="${command}",timeout=86400}]}]`,
      '-c',
      `hooks.state={"/<session-flags>/config.toml:permission_request:0:0"={trusted_hash="${hookHash({ event_name: 'permission_request', hooks: [{ type: 'command', command, timeout: 86_400, async: false }] })}"}}`,
    ]);
    expect(argv.slice(3, 7)).toEqual(args);
    // The hook gives up before Codex would time it out.
    expect(HOOK_DEADLINE_MS).toBeLessThan(APPROVAL_TIMEOUT_SECONDS * 1000);
  });

  it("hashes a hook as Codex 0.171 does (its `hooks/list` currentHash for the same hook)", () => {
    // codex app-server, hooks/list, with -c 'hooks.PermissionRequest=[{hooks=[{type="command",command="/tmp/cxexp/hook.sh"}]}]'.
    expect(hookHash({ event_name: 'permission_request', hooks: [{ type: 'command', command: '/tmp/cxexp/hook.sh', timeout: 600, async: false }] })).toBe(
      'sha256:413a35215f7b38b487444a5075990a4bebab8d3d940e05de53dbfd840e678914',
    );
  });

  it('prints nothing without an answer, so Codex shows its own dialog', () => {
    expect(decisionOutput('codex', undefined)).toBe('');
    expect(JSON.parse(decisionOutput('codex', { id: 'a1', state: 'denied', answeredBy: 'ann', reason: null }))).toEqual({
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: 'denied in vibe by ann' } },
    });
  });

  it('keeps screen approvals for the dialogs the hook does not hold (not its trust prompt), answered with y and Esc', () => {
    expect(codex.screenKeys).toMatchObject({ allow: 'y', deny: '\x1b' });
    const isPermission = (text: string): boolean => codex.screenKeys!.prompts!.some((prompt) => prompt.test(text));
    expect(isPermission('Would you like to run the following command?\n  $ rm -rf build\n› 1. Yes, proceed (y)')).toBe(true);
    expect(isPermission('Would you like to make the following edits?')).toBe(true);
    expect(isPermission('Trust this folder?')).toBe(false);
  });
});

describe('agents without a permission hook vibe can wire', () => {
  it('a custom agent: the keys its config names, or no screen approvals at all', () => {
    expect(customAgent('mine', { command: ['mine'], approvalKeys: { allow: 'y\r', deny: 'n\r' } }).screenKeys).toEqual({ allow: 'y\r', deny: 'n\r' });
    expect(customAgent('mine', { command: ['mine'] }).screenKeys).toBeUndefined();
    expect(() => customAgent('mine', { command: ['mine'], approvalKeys: { allow: '' , deny: 'n' } })).toThrow(/agents\.mine\.approvalKeys\.allow/);
  });
});
