// `vibe mcp` through the MCP SDK's own client: the real bin/vibe spawned over stdio with the environment the
// daemon gave a real session, every tool called, and one task's message reaching another task's inbox — with
// the receipt the sender sees when it is read.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ControlClient, Event } from '@vibe/protocol';
import { connectToDaemon } from '@vibe/protocol/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, Sandbox, vibeBin } from './harness.js';

const TOOLS = ['create_task', 'list_tasks', 'post_message', 'read_inbox', 'task_diff'];

let sandbox: Sandbox;
let repo: string;
/** The MCP clients, by the task whose agent they stand in for. */
const agents = new Map<number, Client>();
let watcher: ControlClient;
const events: Event[] = [];

/** The VIBE_* variables task `n`'s agent was started with, as the agent wrote them down. */
function sessionEnv(n: number): Record<string, string> {
  const lines = readFileSync(join(sandbox.dir, `env-${n}`), 'utf8').split('\n');
  return Object.fromEntries(lines.filter((line) => line.startsWith('VIBE_')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

/** Starts `bin/vibe mcp` as an agent CLI would: its own environment plus what the daemon put in the session. */
async function mcpFor(env: Record<string, string>, cwd?: string): Promise<Client> {
  const client = new Client({ name: 'vibe-test-agent', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: vibeBin, args: ['mcp'], env, cwd, stderr: 'pipe' }));
  return client;
}

/** The session variables `vibe mcp` is configured with: the socket and which task and attempt it speaks for. */
function mcpEnv(n: number): Record<string, string> {
  const { VIBE_SOCKET, VIBE_PROJECT, VIBE_TASK, VIBE_ATTEMPT } = sessionEnv(n);
  return { VIBE_SOCKET: VIBE_SOCKET!, VIBE_PROJECT: VIBE_PROJECT!, VIBE_TASK: VIBE_TASK!, VIBE_ATTEMPT: VIBE_ATTEMPT! };
}

async function call(n: number, name: string, args: Record<string, unknown> = {}): Promise<{ isError: boolean; texts: string[] }> {
  const result = (await agents.get(n)!.callTool({ name, arguments: args })) as { isError?: boolean; content: { type: string; text: string }[] };
  return { isError: result.isError === true, texts: result.content.map((part) => part.text) };
}

async function callJson<T = Record<string, unknown>>(n: number, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const { isError, texts } = await call(n, name, args);
  if (isError) throw new Error(`${name} failed: ${texts.join(' ')}`);
  return JSON.parse(texts[0]!) as T;
}

beforeAll(async () => {
  sandbox = new Sandbox();
  // The agent writes its environment down (VIBE_TASK names the file), leaves a file in its worktree, and stays.
  const script = 'env > "$1/env-$VIBE_TASK.part" && mv "$1/env-$VIBE_TASK.part" "$1/env-$VIBE_TASK"; echo draft > notes.txt; exec sleep 600';
  sandbox.configure({ agents: { envdump: { command: ['/bin/sh', '-c', script, 'envdump', sandbox.dir], prompt: 'none' } } });
  repo = sandbox.repo('app');
  expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
  for (const title of ['Change the login API', 'Update the client']) {
    const started = await sandbox.vibe(['task', 'add', title, '--agent', 'envdump', '--start'], { cwd: repo });
    expect(started.code, started.stderr).toBe(0);
  }
  for (const n of [1, 2]) {
    await eventually(async () => (existsSync(join(sandbox.dir, `env-${n}`)) ? true : undefined), `task ${n}'s agent to write its environment`);
    await eventually(async () => (existsSync(join(sandbox.home, 'data', 'worktrees')) ? true : undefined), 'the worktrees');
    agents.set(n, await mcpFor(mcpEnv(n)));
  }
  watcher = (await connectToDaemon(sessionEnv(1).VIBE_SOCKET!, { client: { name: 'test', version: '0' } })).client;
  watcher.onEvent((event) => events.push(event));
  await watcher.request('events.subscribe', { names: ['inbox.posted', 'inbox.read'] });
});

afterAll(async () => {
  watcher?.close();
  for (const client of agents.values()) await client.close();
  await sandbox?.dispose();
});

describe('vibe mcp', () => {
  it('runs in a session that names its project, task and attempt, and the daemon\'s socket', () => {
    expect(sessionEnv(2)).toMatchObject({ VIBE_PROJECT: 'app', VIBE_TASK: '2', VIBE_ATTEMPT: '1', VIBE_SOCKET: join(sandbox.home, 'run', 'daemon.sock') });
  });

  it('lists its five tools, each with a description and a JSON Schema object for its input', async () => {
    const { tools } = await agents.get(2)!.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.description, tool.name).toMatch(/^[A-Z].{40,}\.$/);
      expect(tool.inputSchema.type, tool.name).toBe('object');
    }
    const post = tools.find((tool) => tool.name === 'post_message')!;
    expect(post.inputSchema.required).toEqual(['task', 'text']);
    expect(post.inputSchema.properties).toMatchObject({ task: { type: 'integer' }, text: { type: 'string', minLength: 1, maxLength: 16000 } });
  });

  it('list_tasks shows the project\'s tasks with their states, marking the caller\'s own', async () => {
    const { tasks } = await callJson<{ tasks: Record<string, unknown>[] }>(2, 'list_tasks');
    expect(tasks).toEqual([
      { number: 1, title: 'Change the login API', description: '', status: 'in_progress', agent: 'envdump', state: expect.any(String) },
      { number: 2, title: 'Update the client', description: '', status: 'in_progress', agent: 'envdump', state: expect.any(String), you: true },
    ]);
    expect((await callJson<{ tasks: unknown[] }>(2, 'list_tasks', { status: ['todo'] })).tasks).toEqual([]);
  });

  it('create_task adds a follow-up in todo that says which task made it', async () => {
    const { task } = await callJson<{ task: { number: number } }>(2, 'create_task', { title: 'Document the new error', description: 'Say what 401 means.' });
    expect(task).toMatchObject({ number: 3, status: 'todo' });
    expect(task).not.toHaveProperty('you');
    const shown = await sandbox.json<{ title: string; description: string; status: string }>(['task', 'show', '3'], { cwd: repo });
    expect(shown).toMatchObject({ title: 'Document the new error', status: 'todo', description: 'Say what 401 means.\n\n(Created by the agent of task 2 through vibe mcp.)' });
  });

  it('task_diff shows another task\'s changes: the files, then the patch', async () => {
    const { isError, texts } = await call(2, 'task_diff', { task: 1 });
    expect(isError).toBe(false);
    expect(JSON.parse(texts[0]!)).toMatchObject({ base: 'main', files: [{ path: 'notes.txt', status: 'added', additions: 1 }], truncated: false });
    expect(texts[1]).toContain('+draft');
    expect((await call(2, 'task_diff', { task: 1, stat: true })).texts).toHaveLength(1);
  });

  it('delivers task 2\'s message to task 1 only through task 1\'s inbox, and the read is the receipt task 2 gets', async () => {
    const { message } = await callJson<{ message: { id: number; readAt: string | null } }>(2, 'post_message', { task: 1, text: 'GET /me will return 401 for expired tokens.' });
    expect(message).toMatchObject({ to: 1, from: { task: 2, label: 'task 2' }, readAt: null });
    await eventually(async () => events.find((e) => e.name === 'inbox.posted'), 'inbox.posted');
    // Task 1's history shows it arrived; its agent has it only once it reads its inbox.
    const log = await sandbox.vibe(['task', 'log', '1'], { cwd: repo });
    expect(log.stdout).toContain('message from task 2');

    const inbox = await callJson<{ messages: { id: number; text: string; readAt: string | null }[] }>(1, 'read_inbox');
    expect(inbox.messages).toMatchObject([{ id: message.id, text: 'GET /me will return 401 for expired tokens.', readAt: expect.any(String) }]);
    const receipt = await eventually(async () => events.find((e) => e.name === 'inbox.read'), 'the receipt');
    expect(receipt.data).toEqual({ project: 'app', to: 1, ids: [message.id], at: inbox.messages[0]!.readAt });
    // The receiver's inbox says so too, to anyone who looks without reading.
    const state = await watcher.request('inbox.read', { project: 'app', number: 1, unreadOnly: false, markRead: false });
    expect(state.messages.map((m) => [m.id, m.readAt])).toEqual([[message.id, inbox.messages[0]!.readAt]]);

    expect((await callJson<{ messages: unknown[] }>(1, 'read_inbox')).messages).toEqual([]);
    expect((await callJson<{ messages: unknown[] }>(1, 'read_inbox', { all: true })).messages).toHaveLength(1);
    expect(events.filter((e) => e.name === 'inbox.read')).toHaveLength(1);
  });

  it('answers a refusal as a tool error carrying the daemon\'s message', async () => {
    expect(await call(2, 'task_diff', { task: 99 })).toEqual({ isError: true, texts: ['no task 99 in project "app"'] });
    expect(await call(2, 'post_message', { task: 2, text: 'me?' })).toEqual({ isError: true, texts: ['task 2 cannot post to its own inbox; name the task the message is for'] });
    const bad = await call(2, 'post_message', { task: 1, text: '' });
    expect(bad.isError).toBe(true);
  });

  it('reaches the daemon again after it restarted, and says so plainly while it is away', async () => {
    watcher.close();
    expect((await sandbox.vibe(['down'])).code).toBe(0);
    const away = await call(2, 'list_tasks');
    expect(away).toEqual({ isError: true, texts: ['daemon not running — run `vibe up`'] });
    expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
    expect((await callJson<{ tasks: unknown[] }>(2, 'list_tasks')).tasks).toHaveLength(3);
    // What was read before the restart stays read.
    expect((await callJson<{ messages: { readAt: string | null }[] }>(1, 'read_inbox', { all: true })).messages.map((m) => m.readAt === null)).toEqual([false]);
  });

  it('without a task in its environment, lists tasks by its directory but cannot read an inbox', async () => {
    const { VIBE_SOCKET } = sessionEnv(1);
    const loose = await mcpFor({ VIBE_SOCKET: VIBE_SOCKET! }, repo);
    try {
      const listed = (await loose.callTool({ name: 'list_tasks', arguments: {} })) as { content: { text: string }[] };
      expect((JSON.parse(listed.content[0]!.text) as { tasks: { number: number; you?: boolean }[] }).tasks.map((t) => [t.number, t.you])).toEqual([
        [1, undefined],
        [2, undefined],
        [3, undefined],
      ]);
      const read = (await loose.callTool({ name: 'read_inbox', arguments: {} })) as { isError?: boolean; content: { text: string }[] };
      expect(read.isError).toBe(true);
      expect(read.content[0]!.text).toMatch(/^read_inbox needs to know which task it speaks for/);
    } finally {
      await loose.close();
    }
  });
});
