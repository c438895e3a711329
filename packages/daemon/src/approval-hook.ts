// `node hook.js approval <claude|gemini|codex|plain>`: an agent's permission hook. Reads the agent's request
// (JSON on stdin), asks the daemon, waits as long as the person takes, and prints the decision in the agent's
// own terms. It never allows anything itself: with no answer it prints what hands the question back to the
// agent's own dialog (nothing, or Gemini's "ask").
import { randomBytes } from 'node:crypto';
import { LIMITS, ProtocolError, type Approval, type ControlClient } from '@vibe/protocol';
import { connectToDaemon } from '@vibe/protocol/node';

export const DIALECTS = ['claude', 'gemini', 'codex', 'plain'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** What the agent asks, in vibe's terms. */
export interface AskedTool {
  tool: string;
  detail: string;
}

/** The input fields that say best what a tool will do, first found wins: a command, a file, a URL, a query. */
const DETAIL_FIELDS = ['command', 'file_path', 'path', 'notebook_path', 'url', 'pattern', 'query', 'prompt'] as const;

/**
 * Claude Code (PermissionRequest), Gemini CLI (BeforeTool) and Codex (PermissionRequest) all send
 * `{ tool_name, tool_input }`. The detail is the tool's own words — the exact command or path — with the rest
 * of its input after it, so nothing the agent will do is hidden; cut only at the protocol's limit.
 */
export function askedTool(input: unknown): AskedTool {
  const record = isRecord(input) ? input : {};
  const tool = typeof record.tool_name === 'string' && record.tool_name !== '' ? record.tool_name : 'unknown tool';
  const toolInput = isRecord(record.tool_input) ? record.tool_input : {};
  const key = DETAIL_FIELDS.find((field) => typeof toolInput[field] === 'string' && toolInput[field] !== '');
  const rest = Object.fromEntries(Object.entries(toolInput).filter(([field]) => field !== key));
  const head = key === undefined ? '' : (toolInput[key] as string);
  const tail = Object.keys(rest).length === 0 ? '' : JSON.stringify(rest, null, 1);
  const detail = head !== '' && tail !== '' ? `${head}\n${tail}` : head || tail;
  return { tool: tool.slice(0, 200), detail: cut(detail, LIMITS.approvalDetailMax) };
}

/** What the hook prints for an answered approval, or (undefined decision) for none: the agent asks on screen. */
export function decisionOutput(dialect: Dialect, approval: Pick<Approval, 'id' | 'state' | 'answeredBy' | 'reason'> | undefined): string {
  const state = approval?.state;
  const decided = state === 'allowed' || state === 'denied';
  const message = state === 'denied' ? (approval!.reason ?? `denied in vibe by ${approval!.answeredBy ?? 'someone'}`) : undefined;
  switch (dialect) {
    case 'claude':
    case 'codex':
      if (!decided) return '';
      return JSON.stringify({
        hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: state === 'allowed' ? { behavior: 'allow' } : { behavior: 'deny', message } },
      });
    case 'gemini':
      // vibe's policy lets the tools it gates run without Gemini's dialog, so no answer must bring the dialog back.
      if (!decided) return JSON.stringify({ decision: 'ask' });
      return JSON.stringify(state === 'allowed' ? { decision: 'allow' } : { decision: 'deny', reason: message });
    case 'plain':
      return JSON.stringify({ approval: approval?.id ?? null, decision: decided ? (state === 'allowed' ? 'allow' : 'deny') : null, reason: approval?.reason ?? null });
  }
}

export interface WaitOptions {
  socket: string;
  session: number;
  token: string;
  asked: AskedTool;
  /** Longest run of failed connections before giving up (the daemon is not coming back). */
  giveUpMs?: number;
}

/**
 * The agents give the hook a day (Claude Code's and Gemini's hook timeouts, `agents/`); the hook stops waiting
 * ten minutes before and answers "no answer" itself, so no agent ever times it out — Gemini would read a
 * timed-out hook's silence as allow.
 */
export const HOOK_DEADLINE_MS = 24 * 60 * 60 * 1000 - 10 * 60 * 1000;

/** The answer, or undefined once `ms` passed without one. */
export async function withinDeadline<T>(answer: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 1000;
const GIVE_UP_MS = 120_000;
const HELD_MS = 1000;

/**
 * Asks the daemon and waits for the answer. A daemon that stops or restarts is asked again (same request id,
 * so the same approval) until it answers; undefined when it refuses the hook or stays away `giveUpMs`.
 */
export async function waitForAnswer(options: WaitOptions): Promise<Approval | undefined> {
  const request = randomBytes(18).toString('base64url');
  const connect = async (socket: string): Promise<ControlClient> => (await connectToDaemon(socket, { client: { name: 'vibe-hook', version: '1' }, timeoutMs: 2000 })).client;
  let lostSince: number | undefined;
  let delay = RETRY_MIN_MS;
  for (;;) {
    let client: ControlClient | undefined;
    let askedAt: number | undefined;
    try {
      client = await connect(options.socket);
      askedAt = Date.now();
      const { approval } = await client.request('approval.request', {
        session: options.session,
        token: options.token,
        request,
        tool: options.asked.tool,
        detail: options.asked.detail,
        options: ['allow', 'deny'],
        pid: process.pid,
      });
      return approval;
    } catch (error) {
      // A refusal that asking again cannot change: not this session's token, a session that ended, a bad request.
      if (error instanceof ProtocolError && error.code !== 'shutting_down' && error.code !== 'internal') return undefined;
      // A request the daemon held for a while was being waited on: the trouble starts now, not at the last one.
      if (askedAt !== undefined && Date.now() - askedAt > HELD_MS) {
        lostSince = undefined;
        delay = RETRY_MIN_MS;
      }
      lostSince ??= Date.now();
      if (Date.now() - lostSince > (options.giveUpMs ?? GIVE_UP_MS)) return undefined;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    } finally {
      client?.close();
    }
  }
}

export function readStdin(): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (text += chunk));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', () => resolve(text));
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cut(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}
