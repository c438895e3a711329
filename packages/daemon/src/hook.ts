// `node hook.js <working|waiting|idle>`: run by agent hooks inside a session to report the agent's state.
// It must never hold the agent up: it gives up after two seconds and always exits 0.
import { connectToDaemon } from '@vibe/protocol/node';

const HOOK_TIMEOUT_MS = 2000;

async function main(): Promise<void> {
  const event = process.argv[2];
  const session = Number(process.env.VIBE_SESSION);
  const token = process.env.VIBE_HOOK_TOKEN;
  const socket = process.env.VIBE_SOCKET;
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

void main();
