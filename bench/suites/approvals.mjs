/* global window, document, performance, MutationObserver -- the functions given to page.evaluate run in the page. */
// Approval figures against a real daemon (`vibe up`), over its local socket: from an agent hook's request to
// the pending approval reaching a connected client, and from an answer to the hook's request returning — both
// timed in this process on one clock, the hook's connection being the same client code the hook program runs.
// Then the hook program itself, as an agent runs it (a fresh node process): spawn → on the client, and
// answer → the program has printed the decision and exited. Last, the web view in Debian's headless Chromium
// through the embedded relay (`vibe connect`): request → the approval drawn in the page, and a tap on Allow → the
// hook's request returns. The page stamps both moments with its own clock (performance.timeOrigin + now(), the
// system clock as this process reads it), so the two legs are timed separately, each on one machine's clock.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFromSource, median, nowMs, root, sleep, startScratchDaemon, vibeBin } from '../lib.mjs';

const RUNS = Number(process.env.BENCH_APPROVAL_RUNS) || 21;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
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
    const rows = [
      { name: `hook's request → pending approval on a connected client (local socket, median of ${RUNS})`, value: requestToClient, unit: 'ms', target: '<= 100', ok: requestToClient <= 100 },
      { name: `answer → the hook's request returns (median of ${RUNS})`, value: answerToHook, unit: 'ms', target: '<= 100', ok: answerToHook <= 100 },
      { name: 'agent starts the hook program → approval on a client (new node process, median)', value: median(spawnToClient), unit: 'ms' },
      { name: 'answer → the hook program printed the decision and exited (median)', value: median(answerToExit), unit: 'ms' },
    ];
    return [...rows, ...(await webLeg(scratch, hook, { session, token }))];
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
 * The web view's leg: a page on a control link through the embedded relay watches for each request; when the
 * approval is drawn it stamps the time and taps Allow at once, stamping that too; this process times the
 * request before it and the hook's return after it.
 */
async function webLeg(scratch, hook, { session, token }) {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return [{ name: 'web view leg: skipped (playwright-core missing)', value: 0, unit: '', ok: false }];
  }
  const link = JSON.parse(execFileSync(vibeBin, ['connect', '--json', '--no-qr', '--label', 'bench-approvals'], { cwd: scratch.repo, env: scratch.env }).toString()).url;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(link);
    await page.locator('.conn[data-state=live]').waitFor({ timeout: 20_000 });
    // In the page: each approval drawn is stamped and allowed by a tap on its button, once.
    await page.evaluate(() => {
      const stamps = (window.vibeBenchStamps = {});
      const wall = () => performance.timeOrigin + performance.now();
      new MutationObserver(() => {
        for (const item of document.querySelectorAll('.approvals-bar .approval')) {
          const detail = /rm -rf web-\d+/.exec(item.textContent ?? '')?.[0];
          const allow = item.querySelector('[data-action=allow]');
          if (!detail || !allow || stamps[detail]) continue;
          stamps[detail] = { shown: wall() };
          allow.click();
          stamps[detail].tapped = wall();
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    const wall = () => performance.timeOrigin + performance.now();
    const toPage = [];
    const toHook = [];
    for (let i = 0; i < RUNS; i++) {
      const detail = `rm -rf web-${i}`;
      const asked = wall();
      const { approval } = await hook.request('approval.request', { session, token, request: randomBytes(18).toString('base64url'), tool: 'Bash', detail });
      const returned = wall();
      if (approval.state !== 'allowed') throw new Error(`bench approvals: the page's tap left the approval ${approval.state}`);
      const stamp = await page.evaluate((key) => window.vibeBenchStamps[key], detail);
      toPage.push(stamp.shown - asked);
      toHook.push(returned - stamp.tapped);
      await sleep(50);
    }
    const shown = median(toPage);
    const answered = median(toHook);
    return [
      { name: `hook's request → approval drawn in the web view (Chromium, through the relay, median of ${RUNS})`, value: shown, unit: 'ms', target: '<= 100', ok: shown <= 100 },
      { name: `tap on Allow in the web view → the hook's request returns (median of ${RUNS})`, value: answered, unit: 'ms', target: '<= 100', ok: answered <= 100 },
    ];
  } finally {
    await browser.close();
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
