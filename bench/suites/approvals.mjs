// Approval figures against a real daemon (`vibe up`), over its local socket: from an agent hook's request to
// the pending approval reaching a connected client, and from an answer to the hook's request returning — both
// timed in this process on one clock, the hook's connection being the same client code the hook program runs.
// Then the hook program itself, as an agent runs it (a fresh node process): spawn → on the client, and
// answer → the program has printed the decision and exited.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFromSource, median, nowMs, root, sleep, startScratchDaemon, vibeBin } from '../lib.mjs';

const RUNS = Number(process.env.BENCH_APPROVAL_RUNS) || 21;
const fakeAgent = join(root, 'packages', 'daemon', 'test', 'fixtures', 'fake-agent.mjs');
const hookScript = join(root, 'packages', 'daemon', 'dist', 'hook.js');

export async function run() {
  const { connectToDaemon } = await bundleFromSource('approvals-protocol', "export { connectToDaemon } from './packages/protocol/src/node/index.ts';");
  const scratch = startScratchDaemon({
    configure(home) {
      mkdirSync(join(home, 'config'), { recursive: true });
      const idle = { command: ['node', fakeAgent, '--script', 'print:ready;sleep:3600000'], prompt: 'none', hooks: 'env' };
      writeFileSync(join(home, 'config', 'config.json'), JSON.stringify({ agents: { idle } }));
    },
  });
  const connect = async () => (await connectToDaemon(scratch.socket, { client: { name: 'bench', version: '0' } })).client;
  const clients = [];
  try {
    execFileSync(vibeBin, ['task', 'add', 'asks a lot', '--agent', 'idle', '--start'], { cwd: scratch.repo, env: scratch.env, stdio: 'ignore' });
    const { session, token } = await hookIdentity(scratch);
    const [hook, watcher, answerer] = await Promise.all([connect(), connect(), connect()]);
    clients.push(hook, watcher, answerer);
    const requested = new Map();
    watcher.onEvent((event) => {
      if (event.name === 'approval.requested') requested.get(event.data.approval.detail)?.(nowMs());
    });
    await watcher.request('events.subscribe', { names: ['approval.requested'] });
    const seen = (detail) => new Promise((resolve) => requested.set(detail, resolve));

    const toClient = [];
    const toHook = [];
    for (let i = 0; i < RUNS; i++) {
      const detail = `rm -rf build-${i}`;
      const shown = seen(detail);
      const asked = nowMs();
      const answered = hook.request('approval.request', { session, token, request: randomBytes(18).toString('base64url'), tool: 'Bash', detail }).then(() => nowMs());
      const arrived = await shown;
      toClient.push(arrived - asked);
      const { approvals } = await answerer.request('approval.list', { pending: true });
      const sent = nowMs();
      await answerer.request('approval.answer', { id: approvals[0].id, decision: 'allow' });
      toHook.push((await answered) - sent);
    }

    // The hook program as an agent runs it: a new node process per request.
    const spawnToClient = [];
    const answerToExit = [];
    const env = { ...scratch.env, VIBE_SESSION: String(session), VIBE_HOOK_TOKEN: token, VIBE_SOCKET: scratch.socket };
    for (let i = 0; i < Math.min(RUNS, 9); i++) {
      const detail = `rm -rf program-${i}`;
      const shown = seen(detail);
      const started = nowMs();
      const child = spawn(process.execPath, [hookScript, 'approval', 'plain'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      const exited = new Promise((resolve) => child.on('exit', () => resolve(nowMs())));
      child.stdin.end(JSON.stringify({ tool_name: 'Bash', tool_input: { command: detail } }));
      spawnToClient.push((await shown) - started);
      const { approvals } = await answerer.request('approval.list', { pending: true });
      const sent = nowMs();
      await answerer.request('approval.answer', { id: approvals[0].id, decision: 'deny', reason: 'bench' });
      answerToExit.push((await exited) - sent);
      if (!output.includes('"decision":"deny"')) throw new Error(`bench approvals: the hook printed ${output}`);
    }

    const requestToClient = median(toClient);
    const answerToHook = median(toHook);
    return [
      { name: `hook's request → pending approval on a connected client (local socket, median of ${RUNS})`, value: requestToClient, unit: 'ms', target: '<= 100', ok: requestToClient <= 100 },
      { name: `answer → the hook's request returns (median of ${RUNS})`, value: answerToHook, unit: 'ms', target: '<= 100', ok: answerToHook <= 100 },
      { name: 'agent starts the hook program → approval on a client (new node process, median)', value: median(spawnToClient), unit: 'ms' },
      { name: 'answer → the hook program printed the decision and exited (median)', value: median(answerToExit), unit: 'ms' },
    ];
  } finally {
    for (const client of clients) client.close();
    try {
      execFileSync(vibeBin, ['task', 'stop', '1'], { cwd: scratch.repo, env: scratch.env, stdio: 'ignore' });
    } catch {
      // The daemon is torn down below either way.
    }
    scratch.dispose();
  }
}

/**
 * The session id and hook token a hook inside the session gets: read from the agent's environment, as only
 * the user's own processes can (the daemon never gives the token to a client).
 */
async function hookIdentity(scratch) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let environ;
      try {
        environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      } catch {
        continue;
      }
      if (!environ.includes(`VIBE_SOCKET=${scratch.socket}`)) continue;
      const token = environ.find((line) => line.startsWith('VIBE_HOOK_TOKEN='))?.slice('VIBE_HOOK_TOKEN='.length);
      const session = Number(environ.find((line) => line.startsWith('VIBE_SESSION='))?.slice('VIBE_SESSION='.length));
      if (token && Number.isInteger(session)) return { session, token };
    }
    await sleep(100);
  }
  throw new Error('bench approvals: no agent process with a hook token found');
}
