// The tools `vibe mcp` gives an agent: the other tasks of its project, a follow-up task, another task's diff,
// and task inboxes. Each is one or two daemon requests; a refusal comes back as a tool error with the daemon's
// own message, so the agent reads what a person running the same `vibe` command would.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AgentName, InboxText, LIMITS, ProtocolError, TASK_STATUSES, TaskDescription, TaskTitle, type MethodName, type MethodParams, type MethodResult, type Task } from '@vibe/protocol';
import { DaemonUnavailableError } from '@vibe/protocol/node';
import { z } from 'zod';
import { describeError } from '../errors.js';
import { projectSelector, type McpIdentity } from './identity.js';

export type Request = <M extends MethodName>(method: M, params: MethodParams<M>) => Promise<MethodResult<M>>;

export interface ToolContext {
  request: Request;
  identity: McpIdentity;
  /** Where `vibe mcp` runs; names the project when the environment does not. */
  cwd: string;
}

/** How much of a task's description list_tasks shows: enough to tell tasks apart, not a whole spec each. */
const DESCRIPTION_SHOWN = 1000;

const TaskNumber = z.number().int().positive();

export function registerTools(server: McpServer, ctx: ToolContext): void {
  const { request, identity } = ctx;
  const selector = (): { project: string } | { cwd: string } => projectSelector(identity, ctx.cwd);
  const ownTask = (tool: string): number => {
    if (identity.task !== undefined) return identity.task;
    throw new ToolError(`${tool} needs to know which task it speaks for: vibe mcp runs for a task when vibe starts the agent (VIBE_TASK is not set)`);
  };

  server.registerTool(
    'list_tasks',
    {
      title: 'List tasks',
      description:
        'Lists the tasks of this project: number, title, status (todo, in_progress, in_review, done, cancelled), agent and the state of its newest run (starting, working, waiting, idle, exited). Your own task is marked "you": true.',
      inputSchema: { status: z.array(z.enum(TASK_STATUSES)).optional().describe('Only tasks with these statuses; default all') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      run(async () => {
        const { tasks } = await request('task.list', { ...selector(), status: args.status });
        return json({ tasks: tasks.map((task) => taskSummary(task, identity.task)) });
      }),
  );

  server.registerTool(
    'create_task',
    {
      title: 'Create a follow-up task',
      description:
        'Adds a task to this project, in todo, for work that should happen apart from yours (a follow-up, a fix elsewhere). A person or another agent starts it; its description records that your task created it. Returns the new task and its number.',
      inputSchema: {
        title: TaskTitle.describe(`What the task is about, one line (up to ${LIMITS.titleMax} characters)`),
        description: TaskDescription.optional().describe('What the agent that takes it on needs to know'),
        agent: AgentName.optional().describe('The agent to run it (claude, codex, gemini, …); default: the configured default'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      run(async () => {
        const description = identity.task === undefined ? args.description : followUpDescription(args.description, identity.task);
        const { task } = await request('task.create', { ...selector(), title: args.title, description, agent: args.agent });
        return json({ task: taskSummary(task, identity.task) });
      }),
  );

  server.registerTool(
    'task_diff',
    {
      title: "Another task's diff",
      description:
        "Shows the changes a task's attempt (its newest by default) made against the base branch, uncommitted ones included: a summary of the files, then the unified diff unless stat is true.",
      inputSchema: {
        task: TaskNumber.describe('The task number'),
        attempt: TaskNumber.optional().describe("Which attempt; default the task's newest"),
        stat: z.boolean().optional().describe('Only the changed files with their added and removed lines, no patch'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      run(async () => {
        const diff = await request('task.diff', { ...selector(), number: args.task, attempt: args.attempt, stat: args.stat });
        const summary = { base: diff.base, branch: diff.branch, mergeBase: diff.mergeBase, files: diff.files, truncated: diff.truncated };
        const result = json(summary);
        if (!args.stat && diff.patch !== '') result.content.push({ type: 'text', text: diff.patch });
        return result;
      }),
  );

  server.registerTool(
    'post_message',
    {
      title: "Message another task's agent",
      description:
        "Leaves a message in another task's inbox, from your task. Its agent receives it when it calls read_inbox; nothing is typed into its terminal. Returns the stored message (readAt stays null until the receiver reads it); ask in the message for a reply when you need one.",
      inputSchema: {
        task: TaskNumber.describe('The task to send it to'),
        text: InboxText.describe(`The message (up to ${LIMITS.inboxTextMax} characters)`),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      run(async () => {
        const { message } = await request('inbox.post', { ...selector(), number: args.task, text: args.text, fromTask: identity.task });
        return json({ message });
      }),
  );

  server.registerTool(
    'read_inbox',
    {
      title: 'Read your inbox',
      description:
        'Returns the messages other tasks (or people) left for your task, oldest first, and marks them read — which tells each sender its message was delivered. By default only messages you have not read yet.',
      inputSchema: { all: z.boolean().optional().describe('Also return messages read before') },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      run(async () => {
        const { messages } = await request('inbox.read', { ...selector(), number: ownTask('read_inbox'), unreadOnly: !args.all });
        return json({ messages });
      }),
  );
}

/** A refusal `vibe mcp` itself makes, before asking the daemon. */
class ToolError extends Error {}

/** Runs a tool body; anything it throws becomes a tool error whose text is the daemon's (or vibe's) message. */
async function run(body: () => Promise<CallToolResult & { content: CallToolResult['content'] }>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return { isError: true, content: [{ type: 'text', text: errorText(error) }] };
  }
}

function errorText(error: unknown): string {
  if (error instanceof ProtocolError || error instanceof ToolError) return error.message;
  if (error instanceof DaemonUnavailableError) return describeError(error, { debug: false }).lines.join(' ').replace(/^vibe: /, '');
  return error instanceof Error ? error.message : String(error);
}

function json(value: unknown): CallToolResult & { content: CallToolResult['content'] } {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

function taskSummary(task: Task, own: number | undefined) {
  const description = task.description.length > DESCRIPTION_SHOWN ? `${task.description.slice(0, DESCRIPTION_SHOWN)}…` : task.description;
  return {
    number: task.number,
    title: task.title,
    description,
    status: task.status,
    agent: task.agent,
    state: task.session?.state ?? null,
    ...(task.number === own && { you: true }),
  };
}

/** The description of a task an agent created, saying which task created it. */
export function followUpDescription(description: string | undefined, from: number): string {
  const note = `(Created by the agent of task ${from} through vibe mcp.)`;
  return description === undefined || description.trim() === '' ? note : `${description.replace(/\s+$/, '')}\n\n${note}`;
}
