// The real claude, codex and gemini CLIs from npm: each starts in a tmux session and its first screen
// reaches an attached client. Nothing here can sign in (no network), so a first screen is a trust dialog,
// a sign-in menu, or the like; each CLI that cannot be installed is skipped with its reason.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FrameKind, type ControlClient, type Frame } from '@vibe/protocol';
import { until } from './daemon-fixture.js';
import { startFakeAnthropicApi, type FakeAnthropicApi } from './fake-anthropic-api.js';
import { startFakeGeminiApi, type FakeGeminiApi } from './fake-gemini-api.js';
import { startFakeOpenAiApi, type FakeOpenAiApi } from './fake-openai-api.js';
import { FIRST_SCREEN_TIMEOUT_MS, pressEnterUntil, RealCliWorld, realClis, screenText } from './real-cli-fixture.js';
import type { RealCli, RealClis } from './real-clis.js';

/** What each CLI shows first when it has never signed in, on the session's 120×40 screen. */
const FIRST_SCREENS: Record<RealCli, RegExp> = {
  // The workspace trust dialog: "Quick safety check: Is this a project you created or one you trust?"
  claude: /Is this a project you created or one you trust\?|Yes, I trust this folder/,
  // The sign-in menu: "Welcome to Codex, OpenAI's command-line coding agent … Sign in with ChatGPT".
  codex: /Welcome to Codex|Sign in with ChatGPT|Do you trust the contents of this directory\?/,
  // The folder trust dialog, under the "Gemini CLI vX" banner.
  gemini: /Do you trust the files in this folder\?|Trust folder/,
};

let clis: RealClis;
let world: RealCliWorld;
let home: string;
let repo: string;

beforeAll(async () => {
  clis = await realClis();
}, 600_000);

beforeEach(() => {
  world = new RealCliWorld(clis);
  ({ home, repo } = world);
});

afterEach(async () => {
  await world.dispose();
});

const setEnv = (key: string, value: string | undefined): void => world.setEnv(key, value);
const startDaemon = (): Promise<ControlClient> => world.startDaemon();
const statesFromHooks = (): string[] => world.statesFromHooks();

describe('the real agent CLIs in sessions', () => {
  for (const agent of Object.keys(FIRST_SCREENS) as RealCli[]) {
    it(`starts ${agent} in a session and its first screen reaches an attached client`, async (ctx) => {
      const reason = clis.missing[agent];
      if (reason !== undefined) {
        process.stderr.write(`skipped: ${reason}\n`);
        ctx.skip(reason);
      }
      const control = await startDaemon();
      await control.request('task.create', { project: 'repo', title: 'Say hello in the README', agent });
      const { session } = await control.request('task.start', { project: 'repo', number: 1 });
      expect(session).toMatchObject({ agent, host: 'tmux' });

      const frames: Frame[] = [];
      control.onFrame((frame) => {
        if (frame.session === session.id && (frame.kind === FrameKind.Output || frame.kind === FrameKind.Snapshot)) frames.push(frame);
      });
      await control.request('session.attach', { session: session.id, size: { cols: 120, rows: 40 } });
      const screen = await until(async () => screenText(frames), (text) => FIRST_SCREENS[agent].test(text), `${agent}'s first screen`, FIRST_SCREEN_TIMEOUT_MS);
      const at = screen.search(FIRST_SCREENS[agent]);
      process.stderr.write(`${agent} ${clis.versions[agent]}, first screen: …${screen.slice(Math.max(0, at - 200), at + 300)}…\n`);

      const { task } = await control.request('task.get', { project: 'repo', number: 1 });
      expect(task.session?.state).not.toBe('exited');
      const { sessions } = await control.request('session.list', { project: 'repo' });
      const pid = sessions[0]?.pid;
      expect(pid).toBeGreaterThan(0);
      expect(() => process.kill(pid!, 0)).not.toThrow();
      // A trust dialog or a sign-in menu needs the user: the session shows as waiting, still running.
      const waiting = await until(
        async () => (await control.request('task.get', { project: 'repo', number: 1 })).task.session?.state,
        (state) => state === 'waiting' || state === 'exited',
        `${agent} to show as waiting`,
        15_000,
      );
      expect(waiting).toBe('waiting');

      const stopped = await control.request('task.stop', { project: 'repo', number: 1 });
      expect(stopped.sessions[0]?.state).toBe('exited');
    }, 120_000);
  }
});

describe('the real Gemini CLI through a whole turn, against a stand-in model on 127.0.0.1', () => {
  let api: FakeGeminiApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('asks in its own dialog where vibe\'s approval hook is turned off: working, waiting, then idle through its hooks, and the file lands', async (ctx) => {
    const reason = clis.missing.gemini;
    if (reason !== undefined) ctx.skip(reason);
    api = await startFakeGeminiApi({ path: 'hello.txt', content: 'hello from gemini\n' }, 'Wrote hello.txt.');
    // A user signed in with an API key, who trusts the repository in Gemini: its worktrees inherit that trust.
    mkdirSync(join(home, '.gemini'));
    // The user turned vibe's approval hook off in Gemini: vibe then leaves Gemini's own dialog alone
    // (real-approvals.test.ts has the approval through vibe).
    const settings = { security: { auth: { selectedType: 'gemini-api-key' } }, hooksConfig: { disabled: ['vibe-approval'] } };
    writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify(settings));
    writeFileSync(join(home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [repo]: 'TRUST_FOLDER' }));
    setEnv('GEMINI_API_KEY', 'not-a-real-key');
    setEnv('GOOGLE_GEMINI_BASE_URL', api.url);

    const control = await startDaemon();
    const states: string[] = [];
    control.onEvent((event) => {
      if (event.name === 'session.updated') states.push(event.data.session.state);
    });
    await control.request('events.subscribe', { names: ['session.updated'] });
    await control.request('task.create', { project: 'repo', title: 'Write hello.txt', agent: 'gemini' });
    const { session } = await control.request('task.start', { project: 'repo', number: 1 });
    const task = async () => (await control.request('task.get', { project: 'repo', number: 1 })).task;

    // The model asks to write the file: Gemini shows "Apply this change?" and its Notification hook fires.
    await until(task, (t) => t.session?.state === 'waiting' || t.session?.state === 'exited', 'the approval prompt', FIRST_SCREEN_TIMEOUT_MS);
    expect((await task()).session?.state).toBe('waiting');
    await until(async () => statesFromHooks(), (reported) => reported.includes('waiting'), "Gemini's Notification hook", FIRST_SCREEN_TIMEOUT_MS);
    expect(states).toContain('working');
    expect(existsSync(join(session.worktree, 'hello.txt'))).toBe(false);

    // "Allow once" is selected: Enter approves; the tool runs and the turn ends. With hooks in use, output
    // heuristics never say idle, so `idle` here is Gemini's AfterAgent hook.
    await pressEnterUntil(control, session.id, task, (t) => t.session?.state !== 'waiting', 'the approval to take');
    // Gemini may take a second, internal turn (its next-speaker check) after the first AfterAgent, so the task can
    // reach in_review while a later BeforeAgent says working again: wait for the turn that ends idle.
    const done = await until(
      task,
      (t) => (t.status === 'in_review' && t.session?.state === 'idle') || t.session?.state === 'exited',
      'the turn to end',
      FIRST_SCREEN_TIMEOUT_MS,
    );
    expect(done.status).toBe('in_review');
    expect(done.session?.state).toBe('idle');
    expect(states.slice(states.indexOf('waiting'))).toEqual(expect.arrayContaining(['waiting', 'working', 'idle']));
    expect(readFileSync(join(session.worktree, 'hello.txt'), 'utf8')).toBe('hello from gemini\n');
    expect(api.requests.some((request) => request.includes(':streamGenerateContent'))).toBe(true);

    // Each of those states came from Gemini's own hooks, as the daemon's log records.
    expect(statesFromHooks()).toEqual(expect.arrayContaining(['working', 'waiting', 'idle']));

    // vibe's hook settings stay out of the attempt: git sees only the agent's file.
    const status = execFileSync('git', ['-C', session.worktree, 'status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });
    expect(status).toBe('?? hello.txt\n');
    await control.request('task.stop', { project: 'repo', number: 1 });
  }, 180_000);
});

describe('the real Claude Code through a whole turn, against a stand-in model on 127.0.0.1', () => {
  let api: FakeAnthropicApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('waits on the trust dialog, then reports working, waiting for the approval and idle through its hooks', async (ctx) => {
    const reason = clis.missing.claude;
    if (reason !== undefined) ctx.skip(reason);
    api = await startFakeAnthropicApi('Wrote hello.txt.');
    // A user who has run Claude Code before, with an API key they approved.
    const key = 'sk-ant-api03-not-a-real-key-0123456789abcdef';
    writeFileSync(join(home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, customApiKeyResponses: { approved: [key.slice(-20)], rejected: [] } }));
    setEnv('ANTHROPIC_API_KEY', key);
    setEnv('ANTHROPIC_BASE_URL', api.url);

    const control = await startDaemon();
    await control.request('task.create', { project: 'repo', title: 'Write hello.txt', agent: 'claude' });
    const { session } = await control.request('task.start', { project: 'repo', number: 1 });
    api.file = { path: join(session.worktree, 'hello.txt'), content: 'hello from claude\n' };
    const task = async () => (await control.request('task.get', { project: 'repo', number: 1 })).task;

    // A new worktree is a folder Claude Code has not seen: its trust dialog waits for the user.
    await until(task, (t) => t.session?.state === 'waiting' || t.session?.state === 'exited', 'the trust dialog', FIRST_SCREEN_TIMEOUT_MS);
    expect((await task()).session?.state).toBe('waiting');
    expect(statesFromHooks()).toEqual([]);
    await pressEnterUntil(control, session.id, async () => statesFromHooks(), (reported) => reported.length > 0, 'the trust dialog to take');

    // Trusted, it sends the task to the model, which asks to write the file: the Notification hook says waiting.
    await until(async () => statesFromHooks(), (states) => states.includes('waiting'), 'the approval prompt', FIRST_SCREEN_TIMEOUT_MS);
    expect(statesFromHooks()[0]).toBe('working');
    expect((await task()).session?.state).toBe('waiting');
    expect(existsSync(api.file.path)).toBe(false);

    // "Yes" is selected: Enter approves; the tool runs and the turn ends with the Stop hook.
    await pressEnterUntil(control, session.id, task, (t) => t.session?.state !== 'waiting', 'the approval to take');
    // Gemini may take a second, internal turn (its next-speaker check) after the first AfterAgent, so the task can
    // reach in_review while a later BeforeAgent says working again: wait for the turn that ends idle.
    const done = await until(
      task,
      (t) => (t.status === 'in_review' && t.session?.state === 'idle') || t.session?.state === 'exited',
      'the turn to end',
      FIRST_SCREEN_TIMEOUT_MS,
    );
    expect(done.status).toBe('in_review');
    expect(done.session?.state).toBe('idle');
    expect(statesFromHooks().at(-1)).toBe('idle');
    expect(readFileSync(api.file.path, 'utf8')).toBe('hello from claude\n');
    // Claude Code's own dialog answered first: the approval its hook asked vibe for is settled as answered at the desk.
    expect((await control.request('approval.list', {})).approvals).toMatchObject([{ tool: 'Write', via: 'hook', state: 'cancelled', answeredBy: 'desk' }]);

    // vibe's instructions and hook settings stay out of the attempt: git sees only the agent's file.
    const status = execFileSync('git', ['-C', session.worktree, 'status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });
    expect(status).toBe('?? hello.txt\n');
    await control.request('task.stop', { project: 'repo', number: 1 });
  }, 180_000);
});

describe('the real Codex CLI through a turn, against a stand-in model on 127.0.0.1', () => {
  let api: FakeOpenAiApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('waits on the trust prompt, then answers, and its notify program says the turn is over', async (ctx) => {
    const reason = clis.missing.codex;
    if (reason !== undefined) ctx.skip(reason);
    api = await startFakeOpenAiApi('Hello from the stand-in model.');
    // A user signed in with an API key, using a model provider of their own.
    mkdirSync(join(home, '.codex'));
    writeFileSync(join(home, '.codex', 'auth.json'), JSON.stringify({ OPENAI_API_KEY: 'sk-not-a-real-key' }));
    writeFileSync(
      join(home, '.codex', 'config.toml'),
      `model_provider = "stand-in"\nmodel = "stand-in-model"\n\n[model_providers.stand-in]\nname = "stand-in"\nbase_url = "${api.url}"\nenv_key = "VIBE_TEST_MODEL_KEY"\nwire_api = "responses"\n`,
    );
    setEnv('VIBE_TEST_MODEL_KEY', 'sk-not-a-real-key');

    const control = await startDaemon();
    await control.request('task.create', { project: 'repo', title: 'Say hello', agent: 'codex' });
    const { session } = await control.request('task.start', { project: 'repo', number: 1 });
    const task = async () => (await control.request('task.get', { project: 'repo', number: 1 })).task;

    // A folder Codex has not seen: it asks whether to trust it, and the session waits.
    await until(task, (t) => t.session?.state === 'waiting' || t.session?.state === 'exited', 'the trust prompt', FIRST_SCREEN_TIMEOUT_MS);
    expect((await task()).session?.state).toBe('waiting');
    await pressEnterUntil(control, session.id, task, (t) => t.session?.state !== 'waiting', 'the trust prompt to take');

    // The turn runs against the stand-in; Codex's notify program reports its end, and the task is in review.
    // Gemini may take a second, internal turn (its next-speaker check) after the first AfterAgent, so the task can
    // reach in_review while a later BeforeAgent says working again: wait for the turn that ends idle.
    const done = await until(
      task,
      (t) => (t.status === 'in_review' && t.session?.state === 'idle') || t.session?.state === 'exited',
      'the turn to end',
      FIRST_SCREEN_TIMEOUT_MS,
    );
    expect(done.status).toBe('in_review');
    expect(done.session?.state).toBe('idle');
    expect(statesFromHooks()).toContain('idle');
    expect(api.requests.some((request) => request.startsWith('POST /v1/responses'))).toBe(true);
    await control.request('task.stop', { project: 'repo', number: 1 });
  }, 180_000);
});
