// Built-in adapters: exact argv for hostile prompts, the files and excludes they ask for, and what they do
// when the repository already tracks a file of the same name.
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claude, claudePrompt, hookSettings } from './claude.js';
import { approvalHookArgs, codex } from './codex.js';
import { geminiAgent } from './gemini.js';
import { shellAgent } from './shell.js';
import type { AgentContext, LaunchOptions } from './types.js';
import { tempDir } from '../worktrees/temp-repo.js';

const HOOK = ['/usr/bin/node', '/data/vibe/hook.js'];
const HOOK_ENV = { VIBE_SESSION: '7', VIBE_HOOK_TOKEN: 't0k', VIBE_SOCKET: '/run/vibe.sock', VIBE_HOOK_NODE: HOOK[0]!, VIBE_HOOK_SCRIPT: HOOK[1]! };

function ctx(over: Partial<AgentContext> = {}): AgentContext {
  return { sessionId: 7, worktree: '/nonexistent/wt', repository: '/nonexistent/repo', prompt: 'Fix the login test', instructions: '', hook: { argv: HOOK, env: HOOK_ENV }, ...over };
}

const untracked: LaunchOptions = { isTracked: () => Promise.resolve(false) };
const tracking = (...names: string[]): LaunchOptions => ({ isTracked: (rel) => Promise.resolve(names.includes(rel)) });

const HOSTILE = ['$(touch /tmp/pwned)', '`id`', 'line one\nline two', '--help', '-- --version', "it's; rm -rf ~ &", 'update', '日本語 ✓'];

describe('claude', () => {
  it('starts interactively with the prompt as one argv element after --', async () => {
    const launch = await claude.launch(ctx(), untracked);
    expect(launch.argv).toEqual(['claude', '--', 'Fix the login test']);
    expect(launch.env).toEqual(HOOK_ENV);
    expect(launch.usesHooks).toBe(true);
  });

  it.each(HOSTILE)('passes the prompt %j through as a single element', async (prompt) => {
    const { argv } = await claude.launch(ctx({ prompt }), untracked);
    expect(argv.slice(-2)).toEqual(['--', claudePrompt(prompt)]);
    expect(argv.at(-1)!.trimEnd()).toBe(prompt.trimEnd());
  });

  it('gives one-word prompts a trailing newline so they cannot name a subcommand', () => {
    expect(claudePrompt('update')).toBe('update\n');
    expect(claudePrompt('update the docs')).toBe('update the docs');
  });

  it('writes instructions to CLAUDE.local.md and hooks to .claude/settings.local.json, both excluded', async () => {
    const launch = await claude.launch(ctx({ instructions: 'Use pnpm.\n\n' }), untracked);
    expect(launch.files).toEqual([
      { path: 'CLAUDE.local.md', content: 'Use pnpm.\n' },
      { path: '.claude/settings.local.json', content: `${JSON.stringify(hookSettings(HOOK), null, 2)}\n` },
    ]);
    expect(launch.excludes).toEqual(['/CLAUDE.local.md', '/.claude/settings.local.json']);
  });

  it('falls back to --append-system-prompt and --settings when the repository tracks those files', async () => {
    const launch = await claude.launch(ctx({ instructions: 'Use pnpm.' }), tracking('CLAUDE.local.md', '.claude/settings.local.json'));
    expect(launch.files).toEqual([]);
    expect(launch.excludes).toEqual([]);
    expect(launch.argv).toEqual([
      'claude',
      '--append-system-prompt',
      'Use pnpm.',
      '--settings',
      JSON.stringify(hookSettings(HOOK), null, 2),
      '--',
      'Fix the login test',
    ]);
  });

  it('writes no instruction file when there are no instructions, and no prompt when there is none', async () => {
    const launch = await claude.launch(ctx({ prompt: '' }), untracked);
    expect(launch.files.map((f) => f.path)).toEqual(['.claude/settings.local.json']);
    expect(launch.argv).toEqual(['claude']);
  });

  it('maps Claude Code hook events to vibe states in the documented settings shape', () => {
    const settings = hookSettings(['/usr/bin/node', "/opt/it's here/hook.js"]);
    const command = (state: string): string => `'/usr/bin/node' '/opt/it'\\''s here/hook.js' '${state}'`;
    expect(settings.hooks).toEqual({
      UserPromptSubmit: [{ hooks: [{ type: 'command', command: command('working'), timeout: 10 }] }],
      PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: command('working'), timeout: 10 }] }],
      PostToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: command('working'), timeout: 10 }] }],
      Notification: [{ matcher: 'permission_prompt|elicitation_dialog', hooks: [{ type: 'command', command: command('waiting'), timeout: 10 }] }],
      Stop: [{ hooks: [{ type: 'command', command: command('idle'), timeout: 10 }] }],
      // Beside Claude Code's own dialog, for as long as a person takes (a day at most).
      PermissionRequest: [{ matcher: '*', hooks: [{ type: 'command', command: `'/usr/bin/node' '/opt/it'\\''s here/hook.js' 'approval' 'claude'`, timeout: 86_400 }] }],
    });
  });

  it('recognises its permission prompts and trust dialog as waiting', () => {
    const waiting = (text: string): boolean => claude.waitingPatterns.some((p) => p.test(text));
    expect(waiting('Bash command\n  npm test\nDo you want to proceed?\n❯ 1. Yes\n  2. No')).toBe(true);
    expect(waiting('Quick safety check: Is this a project you created or one you trust?')).toBe(true);
    expect(waiting('✻ Working… (12s · esc to interrupt)')).toBe(false);
  });
});

describe('codex', () => {
  it('passes the hook as a TOML notify array and the prompt after --', async () => {
    const launch = await codex.launch(ctx(), untracked);
    expect(launch.argv).toEqual(['codex', '-c', 'notify=["/usr/bin/node","/data/vibe/hook.js","idle"]', ...approvalHookArgs(['/usr/bin/node', '/data/vibe/hook.js']), '--', 'Fix the login test']);
    expect(launch.env).toEqual(HOOK_ENV);
  });

  it('escapes quotes and backslashes in hook paths for TOML', async () => {
    const launch = await codex.launch(ctx({ hook: { argv: ['/usr/bin/node', '/d/"x"\\y.js'], env: {} } }), untracked);
    expect(launch.argv[2]).toBe('notify=["/usr/bin/node","/d/\\"x\\"\\\\y.js","idle"]');
  });

  it.each(HOSTILE)('passes the prompt %j through unchanged as one element', async (prompt) => {
    const { argv } = await codex.launch(ctx({ prompt }), untracked);
    expect(argv.slice(7)).toEqual(['--', prompt]);
  });

  it("writes AGENTS.override.md holding the repository's AGENTS.md then vibe's instructions", async () => {
    const worktree = tempDir();
    writeFileSync(join(worktree, 'AGENTS.md'), '# Repo rules\nRun npm test.\n');
    const launch = await codex.launch(ctx({ worktree, instructions: 'Work on the task only.' }), untracked);
    expect(launch.files).toEqual([{ path: 'AGENTS.override.md', content: '# Repo rules\nRun npm test.\n\nWork on the task only.\n' }]);
    expect(launch.excludes).toEqual(['/AGENTS.override.md']);
  });

  it('does not copy an AGENTS.md that links outside the worktree', async () => {
    const outside = join(tempDir(), 'secret.txt');
    writeFileSync(outside, 'secret\n');
    const worktree = tempDir();
    symlinkSync(outside, join(worktree, 'AGENTS.md'));
    const launch = await codex.launch(ctx({ worktree, instructions: 'Mine.' }), untracked);
    expect(launch.files).toEqual([{ path: 'AGENTS.override.md', content: 'Mine.\n' }]);
  });

  it('puts the instructions in the prompt when the repository tracks AGENTS.override.md', async () => {
    const launch = await codex.launch(ctx({ instructions: 'Mine.' }), tracking('AGENTS.override.md'));
    expect(launch.files).toEqual([]);
    expect(launch.argv.slice(-2)).toEqual(['--', 'Mine.\n\nFix the login test']);
  });
});

/** Gemini reading no trust rules at all: it will ask the user. */
const gemini = geminiAgent({ GEMINI_CLI_TRUSTED_FOLDERS_PATH: '/nonexistent/trustedFolders.json' });

describe('gemini', () => {
  it('runs the prompt interactively, in the = form so no prompt reads as a flag', async () => {
    const launch = await gemini.launch(ctx(), untracked);
    expect(launch.argv).toEqual(['gemini', '--prompt-interactive=Fix the login test']);
  });

  it.each(HOSTILE)('keeps the prompt %j in one element', async (prompt) => {
    const { argv } = await gemini.launch(ctx({ prompt }), untracked);
    expect(argv).toEqual(['gemini', `--prompt-interactive=${prompt}`]);
  });

  it('carries the instructions ahead of the task in the prompt', async () => {
    const { argv } = await gemini.launch(ctx({ instructions: 'Use pnpm.' }), untracked);
    expect(argv).toEqual(['gemini', '--prompt-interactive=Use pnpm.\n\nFix the login test']);
  });

  it('writes its hooks as git-excluded project settings; output leads until the first hook reports', async () => {
    const launch = await gemini.launch(ctx(), untracked);
    expect(launch.excludes).toEqual(['/.gemini/settings.json']);
    expect(launch.env).toEqual(HOOK_ENV);
    expect(launch.usesHooks).toBe(false);
    const settings = JSON.parse(launch.files[0]!.content) as { hooks: Record<string, Array<{ hooks: Array<{ command: string; name: string }> }>> };
    expect(launch.files.map((file) => file.path)).toEqual(['.gemini/settings.json']);
    const commands = Object.fromEntries(Object.entries(settings.hooks).map(([event, groups]) => [event, groups[0]!.hooks[0]!.command]));
    expect(commands).toEqual({
      BeforeAgent: "'/usr/bin/node' '/data/vibe/hook.js' 'working'",
      BeforeTool: "'/usr/bin/node' '/data/vibe/hook.js' 'working'",
      AfterTool: "'/usr/bin/node' '/data/vibe/hook.js' 'working'",
      Notification: "'/usr/bin/node' '/data/vibe/hook.js' 'waiting'",
      AfterAgent: "'/usr/bin/node' '/data/vibe/hook.js' 'idle'",
    });
    expect(settings.hooks.AfterAgent![0]!.hooks[0]!.name).toBe('vibe-idle');
  });

  it('never writes over a tracked .gemini/settings.json, and then relies on output alone', async () => {
    const launch = await gemini.launch(ctx(), tracking('.gemini/settings.json'));
    expect(launch).toEqual({ argv: ['gemini', '--prompt-interactive=Fix the login test'], env: {}, files: [], excludes: [], usesHooks: false });
  });

  it('gives the worktree the trust the user gave the repository', async () => {
    const dir = tempDir();
    const rules = join(dir, 'trustedFolders.json');
    writeFileSync(rules, JSON.stringify({ '/nonexistent/repo': 'TRUST_FOLDER' }));
    const launch = await geminiAgent({ GEMINI_CLI_TRUSTED_FOLDERS_PATH: rules }).launch(ctx(), untracked);
    expect(launch.env).toEqual({ ...HOOK_ENV, GEMINI_CLI_TRUST_WORKSPACE: 'true' });
  });

  it("keeps Gemini's own ruling on the worktree: trusted already, or refused", async () => {
    const dir = tempDir();
    const rules = join(dir, 'trustedFolders.json');
    // "Trust parent folder" chosen in an earlier attempt covers every worktree beside it.
    writeFileSync(rules, JSON.stringify({ '/nonexistent/repo': 'TRUST_FOLDER', '/nonexistent/earlier': 'TRUST_PARENT' }));
    const trusted = await geminiAgent({ GEMINI_CLI_TRUSTED_FOLDERS_PATH: rules }).launch(ctx(), untracked);
    expect(trusted.env).toEqual(HOOK_ENV);

    writeFileSync(rules, JSON.stringify({ '/nonexistent/repo': 'TRUST_FOLDER', '/nonexistent/wt': 'DO_NOT_TRUST' }));
    const refused = await geminiAgent({ GEMINI_CLI_TRUSTED_FOLDERS_PATH: rules }).launch(ctx(), untracked);
    expect(refused.env).toEqual(HOOK_ENV);
  });
});

describe('shell', () => {
  it("runs the user's shell with no prompt and no files", async () => {
    const launch = await shellAgent({ SHELL: '/bin/bash' }).launch(ctx({ instructions: 'ignored' }), untracked);
    expect(launch).toEqual({ argv: ['/bin/bash'], env: {}, files: [], excludes: [], usesHooks: false });
  });

  it('falls back to /bin/sh without an absolute $SHELL', () => {
    expect(shellAgent({}).command).toBe('/bin/sh');
    expect(shellAgent({ SHELL: 'zsh' }).command).toBe('/bin/sh');
  });
});

describe('waiting patterns', () => {
  it('match the generic prompts for every built-in', () => {
    for (const adapter of [claude, codex, gemini, shellAgent({})]) {
      for (const text of ['Continue? (y/n)', 'Overwrite? [Y/n]', 'Press Enter to continue']) {
        expect(adapter.waitingPatterns.some((p) => p.test(text)), `${adapter.name}: ${text}`).toBe(true);
      }
      for (const p of adapter.waitingPatterns) expect(p.global, 'a /g pattern keeps state between tests').toBe(false);
    }
  });

  it('know codex approvals and gemini confirmations', () => {
    expect(codex.waitingPatterns.some((p) => p.test('Would you like to run the following command?'))).toBe(true);
    expect(gemini.waitingPatterns.some((p) => p.test('Apply this change?'))).toBe(true);
  });
});
