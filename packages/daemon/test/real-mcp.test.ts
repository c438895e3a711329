// The real Claude Code, Codex and Gemini CLIs, started by the daemon with `vibe mcp` wired in, against stand-in
// model APIs on 127.0.0.1 that record what each CLI sends: vibe's five tools reach the model — so the CLI read
// vibe's configuration, started `vibe mcp` with the task's environment and listed its tools — and the model is
// told which task it works on.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ControlClient } from '@vibe/protocol';
import { until } from './daemon-fixture.js';
import { FIRST_SCREEN_TIMEOUT_MS, pressEnterUntil, RealCliWorld, realClis } from './real-cli-fixture.js';
import type { RealClis } from './real-clis.js';
import { json, startStandIn, type StandIn } from './stand-in-server.js';

/** The CLI the daemon ships in: a checkout's build of packages/cli, as an installed package's dist/main.js. */
const cliMain = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url));
const TOOLS = ['create_task', 'list_tasks', 'post_message', 'read_inbox', 'task_diff'];

type Api = 'anthropic' | 'openai' | 'gemini';

/** A model API that answers every turn with "ok" and keeps each request body, to read the tools a CLI offers. */
async function recordingApi(api: Api): Promise<StandIn & { url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = await startStandIn((url, body, res) => {
    bodies.push(body);
    if (api === 'anthropic' && url.startsWith('/v1/messages/count_tokens')) json(res, { input_tokens: 10 });
    else if (api === 'anthropic' && url.startsWith('/v1/messages')) anthropicAnswer(body, res);
    else if (api === 'openai' && url.startsWith('/v1/responses')) openAiAnswer(res);
    else if (api === 'gemini' && url.includes(':streamGenerateContent')) geminiAnswer(res);
    else if (api === 'gemini' && url.includes(':countTokens')) json(res, { totalTokens: 8 });
    else if (api === 'gemini' && url.includes(':generateContent')) {
      json(res, { candidates: [{ index: 0, content: { role: 'model', parts: [{ text: '{"reasoning":"done","next_speaker":"user"}' }] }, finishReason: 'STOP' }] });
    } else res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  return { ...server, url: api === 'openai' ? `${server.origin}/v1` : server.origin, bodies };
}

function anthropicAnswer(body: string, res: ServerResponse): void {
  const request = JSON.parse(body) as { model?: string; stream?: boolean };
  const message = { id: 'msg_1', type: 'message', role: 'assistant', model: request.model, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } };
  if (!request.stream) {
    json(res, { ...message, content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn' });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const event = (type: string, data: object): boolean => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  event('message_start', { message: { ...message, content: [], stop_reason: null } });
  event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'ok' } });
  event('content_block_stop', { index: 0 });
  event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } });
  event('message_stop', {});
  res.end();
}

function openAiAnswer(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const event = (type: string, data: object): boolean => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  event('response.created', { response: { id: 'resp_1' } });
  event('response.output_item.done', { output_index: 0, item: { type: 'message', role: 'assistant', id: 'msg_1', content: [{ type: 'output_text', text: 'ok', annotations: [] }] } });
  event('response.completed', { response: { id: 'resp_1', usage: { input_tokens: 10, input_tokens_details: null, output_tokens: 1, output_tokens_details: null, total_tokens: 11 } } });
  res.end();
}

function geminiAnswer(res: ServerResponse): void {
  const chunk = { candidates: [{ index: 0, content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 1, totalTokenCount: 9 } };
  res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
}

/** The tool names a request body offers the model, in any of the three APIs' shapes. */
function toolNames(body: string): string[] {
  interface Tool {
    name?: string;
    /** Gemini's function declarations. */
    functionDeclarations?: Array<{ name: string }>;
    /** Codex groups an MCP server's tools in a namespace named mcp__<server>. */
    type?: string;
    tools?: Tool[];
  }
  const names = (tool: Tool): string[] => {
    if (tool.functionDeclarations) return tool.functionDeclarations.map((f) => f.name);
    if (tool.type === 'namespace' && tool.tools) return tool.tools.flatMap(names).map((name) => `${tool.name}__${name}`);
    return tool.name ? [tool.name] : [];
  };
  try {
    return ((JSON.parse(body) as { tools?: Tool[] }).tools ?? []).flatMap(names);
  } catch {
    return [];
  }
}

/** vibe's tools among those offered, by their own names (each CLI prefixes them its own way). */
function vibeTools(bodies: string[]): string[] {
  const offered = bodies.flatMap(toolNames);
  return TOOLS.filter((tool) => offered.some((name) => name === tool || name.endsWith(`__${tool}`) || name.endsWith(`_${tool}`)));
}

let clis: RealClis;
let world: RealCliWorld;
let api: (StandIn & { url: string; bodies: string[] }) | undefined;

beforeAll(async () => {
  clis = await realClis();
  // The in-process daemon has no CLI around it: VIBE_CLI_ENTRY names the one `vibe up` would start it from.
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run npm run build first`);
}, 600_000);
beforeEach(() => {
  world = new RealCliWorld(clis);
  world.setEnv('VIBE_CLI_ENTRY', cliMain);
});
afterEach(async () => {
  await api?.close();
  api = undefined;
  await world.dispose();
});

async function startTask(agent: string): Promise<{ control: ControlClient; session: number }> {
  const control = await world.startDaemon();
  await control.request('task.create', { project: 'repo', title: 'Coordinate with the other tasks', agent });
  const { session } = await control.request('task.start', { project: 'repo', number: 1 });
  return { control, session: session.id };
}

const offeredAll = (bodies: string[]): boolean => vibeTools(bodies).length === TOOLS.length;

describe('vibe mcp in the real agent CLIs', () => {
  it('claude: offers the model vibe\'s five tools and tells it its task', async (ctx) => {
    if (clis.missing.claude !== undefined) ctx.skip(clis.missing.claude);
    api = await recordingApi('anthropic');
    const key = 'sk-ant-api03-not-a-real-key-0123456789abcdef';
    writeFileSync(join(world.home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, customApiKeyResponses: { approved: [key.slice(-20)], rejected: [] } }));
    world.setEnv('ANTHROPIC_API_KEY', key);
    world.setEnv('ANTHROPIC_BASE_URL', api.url);
    const { control, session } = await startTask('claude');
    const task = async () => (await control.request('task.get', { project: 'repo', number: 1 })).task;
    // Its trust dialog for the new worktree comes first; Enter trusts it, and the task goes to the model.
    await until(task, (t) => t.session?.state === 'waiting' || t.session?.state === 'exited', 'the trust dialog', FIRST_SCREEN_TIMEOUT_MS);
    const bodies = api.bodies;
    const asked = (b: string[]): boolean => b.some((body) => body.includes('"stream":true') && body.includes('Coordinate with the other tasks'));
    await pressEnterUntil(control, session, async () => bodies, asked, 'the task to reach the model');
    // Claude Code does not wait for its MCP servers before the first turn (it offers the model WaitForMcpServers):
    // the next turn has vibe's tools.
    await control.request('session.send', { session, text: 'Read your inbox.', enter: true });
    await until(async () => bodies, offeredAll, 'the model to be offered vibe\'s tools', FIRST_SCREEN_TIMEOUT_MS);
    expect(vibeTools(bodies)).toEqual(TOOLS);
    expect(bodies.flatMap(toolNames)).toContain('mcp__vibe__read_inbox');
    // CLAUDE.local.md, with the note about the tools, reaches the model.
    expect(bodies.some((body) => body.includes('You work on task 1 of project \\"repo\\"'))).toBe(true);
  }, 180_000);

  it('codex: offers the model vibe\'s five tools and tells it its task', async (ctx) => {
    if (clis.missing.codex !== undefined) ctx.skip(clis.missing.codex);
    api = await recordingApi('openai');
    mkdirSync(join(world.home, '.codex'));
    writeFileSync(join(world.home, '.codex', 'auth.json'), JSON.stringify({ OPENAI_API_KEY: 'sk-not-a-real-key' }));
    writeFileSync(
      join(world.home, '.codex', 'config.toml'),
      `model_provider = "stand-in"\nmodel = "stand-in-model"\n\n[model_providers.stand-in]\nname = "stand-in"\nbase_url = "${api.url}"\nenv_key = "VIBE_TEST_MODEL_KEY"\nwire_api = "responses"\n`,
    );
    world.setEnv('VIBE_TEST_MODEL_KEY', 'sk-not-a-real-key');
    const { control, session } = await startTask('codex');
    const task = async () => (await control.request('task.get', { project: 'repo', number: 1 })).task;
    // A folder Codex has not seen: it asks whether to trust it.
    await until(task, (t) => t.session?.state === 'waiting' || t.session?.state === 'exited', 'the trust prompt', FIRST_SCREEN_TIMEOUT_MS);
    const bodies = api.bodies;
    await pressEnterUntil(control, session, async () => bodies, offeredAll, 'the model to be offered vibe\'s tools');
    expect(vibeTools(bodies)).toEqual(TOOLS);
    expect(bodies.flatMap(toolNames)).toContain('mcp__vibe__read_inbox');
    // AGENTS.override.md, with the note, is in the instructions Codex sends.
    expect(bodies.some((body) => body.includes('You work on task 1 of project \\"repo\\"'))).toBe(true);
  }, 180_000);

  it('gemini: offers the model vibe\'s five tools and tells it its task', async (ctx) => {
    if (clis.missing.gemini !== undefined) ctx.skip(clis.missing.gemini);
    api = await recordingApi('gemini');
    // A user signed in with an API key who trusts the repository: its worktrees inherit the trust, so Gemini
    // loads the workspace settings vibe's server is in.
    mkdirSync(join(world.home, '.gemini'));
    writeFileSync(join(world.home, '.gemini', 'settings.json'), JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }));
    writeFileSync(join(world.home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [world.repo]: 'TRUST_FOLDER' }));
    world.setEnv('GEMINI_API_KEY', 'not-a-real-key');
    world.setEnv('GOOGLE_GEMINI_BASE_URL', api.url);
    await startTask('gemini');
    const bodies = api.bodies;
    await until(async () => bodies, offeredAll, 'the model to be offered vibe\'s tools', FIRST_SCREEN_TIMEOUT_MS);
    expect(vibeTools(bodies)).toEqual(TOOLS);
    expect(bodies.some((body) => body.includes('You work on task 1 of project \\"repo\\"'))).toBe(true);
  }, 180_000);
});
