// `node hook.js <working|waiting|idle>`: run by agent hooks inside a session to report the agent's state.
// It must never hold the agent up: it gives up after two seconds and always exits 0.
// `node hook.js approval <dialect>`: the agent's permission hook (approval-hook.ts), which waits for a person.
import { connectToDaemon } from '@vibe/protocol/node';
import { reportedEvent } from './hook-events.js';
import { askedTool, decisionOutput, DIALECTS, HOOK_DEADLINE_MS, readStdin, waitForAnswer, withinDeadline, type Dialect } from './approval-hook.js';

const HOOK_TIMEOUT_MS = 2000;

async function main(): Promise<void> {
  const session = Number(process.env.VIBE_SESSION);
  const token = process.env.VIBE_HOOK_TOKEN;
  const socket = process.env.VIBE_SOCKET;
  if (process.argv[2] === 'approval') return approval(process.argv[3], { session, token, socket });
  const event = reportedEvent(process.argv.slice(2));
  if (!event || !Number.isInteger(session) || !token || !socket) return;
  const timer = setTimeout(() => process.exit(0), HOOK_TIMEOUT_MS);
  try {
    const { client } = await connectToDaemon(socket, { client: { name: 'vibe-hook', version: '1' }, timeoutMs: HOOK_TIMEOUT_MS });
    await client.request('session.hook', { session, token, event: event as 'working' });
    client.close();
  } catch {
    // The daemon may be restarting; the next hook or the output heuristics will catch up.
  } finally {
    clearTimeout(timer);
  }
}

/** Prints the decision (or what hands the question back to the agent) and exits 0, whatever happened. */
async function approval(dialect: string | undefined, env: { session: number; token?: string; socket?: string }): Promise<void> {
  const known: Dialect = DIALECTS.includes(dialect as Dialect) ? (dialect as Dialect) : 'plain';
  // Stopped by the agent or the terminal: still say "no answer" (for Gemini, its dialog), never nothing.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stdout.write(decisionOutput(known, undefined));
      process.exit(0);
    });
  }
  let answer;
  try {
    const asked = askedTool(JSON.parse((await readStdin()) || '{}'));
    if (Number.isInteger(env.session) && env.token && env.socket) {
      answer = await withinDeadline(waitForAnswer({ socket: env.socket, session: env.session, token: env.token, asked }), HOOK_DEADLINE_MS);
    }
  } catch {
    // Unreadable input or an unexpected failure: no answer, so the agent asks on its own screen.
  }
  process.stdout.write(decisionOutput(known, answer));
  process.exit(0);
}

void main();
