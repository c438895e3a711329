// The real Claude Code and Gemini CLIs, each asked by a stand-in model on 127.0.0.1 to write a file, their
// permission request held by vibe's hook as an approval and answered with the real `vibe approve` / `vibe deny`:
// allowed, the file lands; denied, it does not, and the reason reaches the model as the tool's result.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Approval, ControlClient } from '@vibe/protocol';
import { until } from './daemon-fixture.js';
import { startFakeAnthropicApi, type FakeAnthropicApi } from './fake-anthropic-api.js';
import { startFakeGeminiApi, type FakeGeminiApi } from './fake-gemini-api.js';
import { FIRST_SCREEN_TIMEOUT_MS, pressEnterUntil, RealCliWorld, realClis } from './real-cli-fixture.js';
import type { RealClis } from './real-clis.js';


let clis: RealClis;
let world: RealCliWorld;

beforeAll(async () => {
  clis = await realClis();
}, 600_000);
beforeEach(() => {
  world = new RealCliWorld(clis);
});
afterEach(async () => {
  await world.dispose();
});


async function pendingApproval(control: ControlClient): Promise<Approval> {
  const list = await until(async () => (await control.request('approval.list', { pending: true })).approvals, (approvals) => approvals.length > 0, 'the approval', FIRST_SCREEN_TIMEOUT_MS);
  return list[0]!;
}

const turnEnded = (control: ControlClient) =>
  until(
    async () => (await control.request('task.get', { project: 'repo', number: 1 })).task,
    (t) => (t.status === 'in_review' && t.session?.state === 'idle') || t.session?.state === 'exited',
    'the turn to end',
    FIRST_SCREEN_TIMEOUT_MS,
  );

describe('the real Claude Code asking to write a file', () => {
  let api: FakeAnthropicApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  /** Claude Code trusted in its worktree and asking (through its PermissionRequest hook) to Write hello.txt. */
  async function claudeAsks(): Promise<{ control: ControlClient; file: string; approval: Approval }> {
    api = await startFakeAnthropicApi('Done with hello.txt.');
    const key = 'sk-ant-api03-not-a-real-key-0123456789abcdef';
    writeFileSync(join(world.home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, customApiKeyResponses: { approved: [key.slice(-20)], rejected: [] } }));
    world.setEnv('ANTHROPIC_API_KEY', key);
    world.setEnv('ANTHROPIC_BASE_URL', api.url);
    const control = await world.startDaemon();
    await control.request('task.create', { project: 'repo', title: 'Write hello.txt', agent: 'claude' });
    const { session } = await control.request('task.start', { project: 'repo', number: 1 });
    api.file = { path: join(session.worktree, 'hello.txt'), content: 'hello from claude\n' };
    // Its trust dialog for the new worktree comes first, before any hook: Enter trusts it.
    await until(async () => (await control.request('task.get', { project: 'repo', number: 1 })).task.session?.state, (state) => state === 'waiting', 'the trust dialog', FIRST_SCREEN_TIMEOUT_MS);
    await pressEnterUntil(control, session.id, async () => world.statesFromHooks(), (states) => states.length > 0, 'the trust dialog to take');
    const approval = await pendingApproval(control);
    expect(approval).toMatchObject({ agent: 'claude', via: 'hook', tool: 'Write', state: 'pending', detail: expect.stringMatching(new RegExp(`^${api.file.path}\\n`)) });
    expect(approval.detail).toContain('hello from claude');
    expect(existsSync(api.file.path)).toBe(false);
    return { control, file: api.file.path, approval };
  }

  it('writes it once `vibe approve` allows it, with no key typed into its terminal', async (ctx) => {
    if (clis.missing.claude !== undefined) ctx.skip(clis.missing.claude);
    const { control, file, approval } = await claudeAsks();
    const approved = await world.vibe(['approve', approval.id]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stderr).toContain(`allowed approval ${approval.id}`);
    const done = await turnEnded(control);
    expect(done.session?.state).toBe('idle');
    expect(readFileSync(file, 'utf8')).toBe('hello from claude\n');
    expect(await control.request('approval.list', {})).toMatchObject({ approvals: [{ id: approval.id, state: 'allowed', answeredBy: userInfo().username }] });
  }, 180_000);

  it('does not write it when `vibe deny` refuses, and the model is told why', async (ctx) => {
    if (clis.missing.claude !== undefined) ctx.skip(clis.missing.claude);
    const { control, file, approval } = await claudeAsks();
    const denied = await world.vibe(['deny', approval.id, '--reason', 'no files today']);
    expect(denied.code, denied.stderr).toBe(0);
    await until(() => api!.toolResults, (results) => results.length > 0, 'the tool result to reach the model', FIRST_SCREEN_TIMEOUT_MS);
    expect(api!.toolResults[0]).toContain('no files today');
    await turnEnded(control);
    expect(existsSync(file)).toBe(false);
  }, 180_000);
});

describe('the real Gemini CLI asking to write a file', () => {
  let api: FakeGeminiApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  /** Gemini CLI in a worktree of a repository its user trusts, asking (through BeforeTool) to write hello.txt. */
  async function geminiAsks(): Promise<{ control: ControlClient; file: string; approval: Approval }> {
    api = await startFakeGeminiApi({ path: 'hello.txt', content: 'hello from gemini\n' }, 'Done with hello.txt.');
    mkdirSync(join(world.home, '.gemini'));
    writeFileSync(join(world.home, '.gemini', 'settings.json'), JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }));
    writeFileSync(join(world.home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [world.repo]: 'TRUST_FOLDER' }));
    world.setEnv('GEMINI_API_KEY', 'not-a-real-key');
    world.setEnv('GOOGLE_GEMINI_BASE_URL', api.url);
    const control = await world.startDaemon();
    await control.request('task.create', { project: 'repo', title: 'Write hello.txt', agent: 'gemini' });
    const { session } = await control.request('task.start', { project: 'repo', number: 1 });
    const approval = await pendingApproval(control);
    expect(approval).toMatchObject({ agent: 'gemini', via: 'hook', tool: 'write_file', state: 'pending', detail: expect.stringMatching(/^hello\.txt\n/) });
    const file = join(session.worktree, 'hello.txt');
    expect(existsSync(file)).toBe(false);
    return { control, file, approval };
  }

  it('writes it once `vibe approve` allows it, without showing its own dialog', async (ctx) => {
    if (clis.missing.gemini !== undefined) ctx.skip(clis.missing.gemini);
    const { control, file, approval } = await geminiAsks();
    const approved = await world.vibe(['approve', approval.id]);
    expect(approved.code, approved.stderr).toBe(0);
    await turnEnded(control);
    expect(readFileSync(file, 'utf8')).toBe('hello from gemini\n');
    // Gemini's own dialog never came up: its Notification hook (which fires for it) reported no waiting.
    expect(world.statesFromHooks()).not.toContain('waiting');
  }, 180_000);

  it('does not write it when `vibe deny` refuses, and the model is told why', async (ctx) => {
    if (clis.missing.gemini !== undefined) ctx.skip(clis.missing.gemini);
    const { control, file, approval } = await geminiAsks();
    const denied = await world.vibe(['deny', approval.id, '--reason', 'no files today']);
    expect(denied.code, denied.stderr).toBe(0);
    await until(() => api!.functionResponses, (responses) => responses.length > 0, 'the tool result to reach the model', FIRST_SCREEN_TIMEOUT_MS);
    expect(api!.functionResponses[0]).toContain('no files today');
    await turnEnded(control);
    expect(existsSync(file)).toBe(false);
  }, 180_000);
});
