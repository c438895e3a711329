// Custom agents from config: validation with errors that name the field, and launches built from the template.
import { describe, expect, it } from 'vitest';
import { customAgent } from './custom.js';
import type { AgentContext, LaunchOptions } from './types.js';

const HOOK_ENV = {
  VIBE_HOOK_NODE: '/usr/bin/node',
  VIBE_HOOK_SCRIPT: '/data/hook.js',
  VIBE_SESSION: '3',
  VIBE_HOOK_TOKEN: 'tok',
  VIBE_SOCKET: '/run/vibe.sock',
  UNRELATED: 'x',
};
const ctx = (over: Partial<AgentContext> = {}): AgentContext => ({
  sessionId: 3,
  worktree: '/nonexistent',
  repository: '/nonexistent-repo',
  prompt: '$(rm -rf ~) `id` "quoted"\n--flag',
  instructions: 'Be brief.',
  hook: { argv: ['/usr/bin/node', '/data/hook.js'], env: HOOK_ENV },
  ...over,
});
const untracked: LaunchOptions = { isTracked: () => Promise.resolve(false) };

describe('custom agent launch', () => {
  it('replaces a whole {prompt} element with the prompt, untouched', async () => {
    const agent = customAgent('aider', { command: ['aider', '--message', '{prompt}', '--yes'] });
    const launch = await agent.launch(ctx(), untracked);
    expect(launch.argv).toEqual(['aider', '--message', '$(rm -rf ~) `id` "quoted"\n--flag', '--yes']);
    expect(launch).toMatchObject({ env: {}, files: [], excludes: [], usesHooks: false });
    expect(launch.stdin).toBeUndefined();
  });

  it('appends the prompt when the template has no placeholder', async () => {
    const launch = await customAgent('x', { command: ['x'] }).launch(ctx({ prompt: 'go' }), untracked);
    expect(launch.argv).toEqual(['x', 'go']);
  });

  it('hands the prompt over for typing with prompt "stdin", and drops it with "none"', async () => {
    const viaStdin = await customAgent('x', { command: ['x'], prompt: 'stdin' }).launch(ctx({ prompt: 'go' }), untracked);
    expect(viaStdin).toMatchObject({ argv: ['x'], stdin: 'go' });
    const none = await customAgent('x', { command: ['x'], prompt: 'none' }).launch(ctx({ prompt: 'go' }), untracked);
    expect(none.argv).toEqual(['x']);
    expect(none.stdin).toBeUndefined();
  });

  it('passes exactly the hook variables with hooks "env"', async () => {
    const agent = customAgent('fake', { command: ['node', 'fake.mjs'], prompt: 'none', hooks: 'env' });
    expect(agent.usesHooks).toBe(true);
    const launch = await agent.launch(ctx(), untracked);
    const { UNRELATED: _, ...hookOnly } = HOOK_ENV;
    expect(launch.env).toEqual(hookOnly);
    expect(launch.usesHooks).toBe(true);
  });

  it('writes the instructions file and excludes it, escaping glob characters', async () => {
    const launch = await customAgent('x', { command: ['x'], instructionsFile: 'docs/[agent]*.md' }).launch(ctx(), untracked);
    expect(launch.files).toEqual([{ path: 'docs/[agent]*.md', content: 'Be brief.\n' }]);
    expect(launch.excludes).toEqual(['/docs/\\[agent]\\*.md']); // git reads ] as literal once [ is escaped
  });

  it('refuses to overwrite a tracked instructions file', async () => {
    const agent = customAgent('x', { command: ['x'], instructionsFile: 'AGENTS.md' });
    await expect(agent.launch(ctx(), { isTracked: (rel) => Promise.resolve(rel === 'AGENTS.md') })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('AGENTS.md, which the repository tracks'),
    });
  });
});

describe('custom agent validation', () => {
  it.each([
    [{}, 'agents.bad.command'],
    [{ command: [] }, 'agents.bad.command'],
    [{ command: 'aider --yes' }, 'agents.bad.command'],
    [{ command: ['{prompt}'] }, 'the first element must name the program'],
    [{ command: ['x', '--msg={prompt}'] }, '{prompt} must be a whole element'],
    [{ command: ['x', '{prompt}'], prompt: 'stdin' }, '{prompt} needs prompt "argv"'],
    [{ command: ['x'], prompt: 'pipe' }, 'agents.bad.prompt'],
    [{ command: ['x'], hooks: 'tmux' }, 'agents.bad.hooks'],
    [{ command: ['x'], instructionsFile: '../outside.md' }, 'must be a file path inside the worktree'],
    [{ command: ['x'], instructionsFile: '/etc/motd' }, 'must be a file path inside the worktree'],
    [{ command: ['x'], instructionsFile: '.git/hooks/pre-commit' }, 'not under .git'],
    [{ command: ['x'], instructionFile: 'typo.md' }, 'agents.bad'],
    [{ command: ['x', 'a\0b'] }, 'NUL'],
  ])('refuses %j with a message naming the problem', (config, message) => {
    expect(() => customAgent('bad', config)).toThrow(expect.objectContaining({ code: 'invalid_params', message: expect.stringContaining(message) }));
  });

  it('names the agent and the config file in the message', () => {
    expect(() => customAgent('mine', { command: ['x'], prompt: 'pipe' })).toThrow(/^custom agent "mine" in the config is invalid: agents\.mine\.prompt: /);
  });
});
