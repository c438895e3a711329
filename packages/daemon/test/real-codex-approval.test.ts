// The real Codex CLI, asked by a stand-in model on 127.0.0.1 to run a command outside its sandbox: vibe's
// PermissionRequest hook (given with its trust through `-c`) holds the request, so Codex shows no dialog and the
// real `vibe approve` / `vibe deny` answer the hook, no key typed: allowed, the command runs; denied, it does not.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FrameKind, type Approval, type ControlClient, type Frame } from '@vibe/protocol';
import { until } from './daemon-fixture.js';
import { startFakeOpenAiApi, type FakeOpenAiApi } from './fake-openai-api.js';
import { FIRST_SCREEN_TIMEOUT_MS, pressEnterUntil, RealCliWorld, realClis, screenText } from './real-cli-fixture.js';
import type { RealClis } from './real-clis.js';


let clis: RealClis;
let world: RealCliWorld;
let api: FakeOpenAiApi | undefined;

beforeAll(async () => {
  clis = await realClis();
}, 600_000);
beforeEach(() => {
  world = new RealCliWorld(clis);
});
afterEach(async () => {
  await api?.close();
  api = undefined;
  await world.dispose();
});


/** `vibe approvals --json`: the pending ones, or with `--all` the answered ones too. */
async function listApprovals(...flags: string[]): Promise<Approval[]> {
  const listed = await world.vibe(['approvals', ...flags, '--json']);
  if (listed.code !== 0) throw new Error(`vibe approvals ${flags.join(' ')} --json: ${listed.stderr}`);
  return (JSON.parse(listed.stdout) as { approvals: Approval[] }).approvals;
}
const pendingApprovals = (): Promise<Approval[]> => listApprovals();
const allApprovals = (): Promise<Approval[]> => listApprovals('--all');

const task = async (control: ControlClient) => (await control.request('task.get', { project: 'repo', number: 1 })).task;

/**
 * Codex signed in with an API key against the stand-in, in its worktree (trusted through its own prompt), asking
 * to run `printf … > hello.txt` unsandboxed: with approval_policy "on-request" that runs its PermissionRequest
 * hook, which asks vibe. `screen` is everything the session showed from then on.
 */
async function codexAsks(): Promise<{ control: ControlClient; file: string; approval: Approval; screen: () => string }> {
  api = await startFakeOpenAiApi('Done with hello.txt.', {
    name: 'exec_command',
    arguments: { cmd: 'printf "hello from codex\\n" > hello.txt', sandbox_permissions: 'require_escalated', justification: 'May I write hello.txt?' },
  });
  mkdirSync(join(world.home, '.codex'));
  writeFileSync(join(world.home, '.codex', 'auth.json'), JSON.stringify({ OPENAI_API_KEY: 'sk-not-a-real-key' }));
  writeFileSync(
    join(world.home, '.codex', 'config.toml'),
    `model_provider = "stand-in"\nmodel = "stand-in-model"\napproval_policy = "on-request"\n\n[model_providers.stand-in]\nname = "stand-in"\nbase_url = "${api.url}"\nenv_key = "VIBE_TEST_MODEL_KEY"\nwire_api = "responses"\n`,
  );
  world.setEnv('VIBE_TEST_MODEL_KEY', 'sk-not-a-real-key');
  const control = await world.startDaemon();
  await control.request('task.create', { project: 'repo', title: 'Write hello.txt', agent: 'codex' });
  const { session } = await control.request('task.start', { project: 'repo', number: 1 });
  // A folder Codex has not seen: it asks whether to trust it. That prompt is no permission dialog, so no approval.
  await until(() => task(control), (t) => t.session?.state === 'waiting' || t.session?.state === 'exited', 'the trust prompt', FIRST_SCREEN_TIMEOUT_MS);
  expect(await pendingApprovals()).toEqual([]);
  const frames: Frame[] = [];
  control.onFrame((frame) => {
    if (frame.session === session.id && (frame.kind === FrameKind.Output || frame.kind === FrameKind.Snapshot)) frames.push(frame);
  });
  await control.request('session.attach', { session: session.id, size: { cols: 120, rows: 40 } });
  // Codex trusts vibe's hook without its "Hooks need review" screen: the trust prompt is the only one.
  expect(screenText(frames)).not.toContain('Hooks need review');
  // Enter trusts it and the turn reaches the model; from here an Enter would answer the command dialog.
  const requests = api.requests;
  await pressEnterUntil(control, session.id, async () => requests, (r) => r.some((request) => request.startsWith('POST /v1/responses')), 'the turn to reach the model');
  // Beside the turn Codex asks the model for the thread's title and runs its notify program when that side turn
  // ends, often while the hook waits: vibe does not take it for the end of the turn (hook-events.ts), which
  // would cancel the approval — each test checks its approval was the only one made.
  const [approval] = await until(pendingApprovals, (approvals) => approvals.length > 0, 'the approval in `vibe approvals --json`', FIRST_SCREEN_TIMEOUT_MS, 200);
  expect(approval).toMatchObject({ agent: 'codex', via: 'hook', tool: 'Bash', state: 'pending', session: session.id });
  // Its detail is the command as Codex gives it to the hook, with the model's reason after it.
  expect(approval!.detail).toContain('printf "hello from codex\\n" > hello.txt');
  expect(approval!.detail).toContain('May I write hello.txt?');
  const file = join(session.worktree, 'hello.txt');
  expect(existsSync(file)).toBe(false);
  return { control, file, approval: approval!, screen: () => screenText(frames) };
}

describe('the real Codex CLI asking to run a command', () => {
  it('runs it once `vibe approve` answers its hook, with no dialog shown and no key typed', async (ctx) => {
    if (clis.missing.codex !== undefined) ctx.skip(clis.missing.codex);
    const { control, file, approval, screen } = await codexAsks();
    const approved = await world.vibe(['approve', approval.id]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stderr).toContain(`allowed approval ${approval.id}`);
    // The command's output goes back to the model, which ends the turn; Codex's notify program says so.
    const done = await until(() => task(control), (t) => (t.status === 'in_review' && t.session?.state === 'idle') || t.session?.state === 'exited', 'the turn to end', FIRST_SCREEN_TIMEOUT_MS);
    expect(done.session?.state).toBe('idle');
    expect(readFileSync(file, 'utf8')).toBe('hello from codex\n');
    expect(api!.toolOutputs).toHaveLength(1);
    expect(screen()).toContain('Ran printf "hello from codex\\n" > hello.txt');
    expect(screen()).not.toContain('Would you like to run the following command?');
    expect(await allApprovals()).toMatchObject([{ id: approval.id, via: 'hook', state: 'allowed', answeredBy: userInfo().username }]);
  }, 180_000);

  it('does not run it when `vibe deny` answers its hook: Codex tells the model why, and no dialog is shown', async (ctx) => {
    if (clis.missing.codex !== undefined) ctx.skip(clis.missing.codex);
    const { control, file, approval, screen } = await codexAsks();
    const denied = await world.vibe(['deny', approval.id, '--reason', 'not in this task']);
    expect(denied.code, denied.stderr).toBe(0);
    expect(denied.stderr).toContain(`denied approval ${approval.id}`);
    // The hook's denial is the command's outcome: the model hears the reason and ends the turn.
    await until(() => task(control), (t) => (t.status === 'in_review' && t.session?.state === 'idle') || t.session?.state === 'exited', 'the turn to end', FIRST_SCREEN_TIMEOUT_MS);
    expect(screen()).toContain('Blocked by hook');
    expect(screen()).not.toContain('Would you like to run the following command?');
    expect(api!.toolOutputs).toHaveLength(1);
    expect(api!.toolOutputs[0]).toContain('not in this task');
    expect(existsSync(file)).toBe(false);
    expect(await allApprovals()).toMatchObject([{ id: approval.id, via: 'hook', state: 'denied', reason: 'not in this task', answeredBy: userInfo().username }]);
  }, 180_000);
});
