/* global document, performance -- the functions given to page.evaluate and waitForFunction run in the page. */
// Web view figures (issue 10), in Debian's headless Chromium on loopback through the embedded relay:
//   - from opening a link to its first terminal frame rendered (a deep link to a task), median of 7 page loads;
//   - terminal output into the page's xterm at 5 MiB/s for 10 s: the rate the page renders, how far it lags at
//     the end, and the tab's JavaScript heap at its peak and after;
//   - the page's JavaScript and CSS, gzip.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleFromSource, median, root, sleep, startScratchDaemon, vibeBin } from '../lib.mjs';

const LOADS = Number(process.env.VIBE_BENCH_WEB_LOADS) || 7;
const FLOOD_MIB_PER_S = 5;
const FLOOD_SECONDS = Number(process.env.VIBE_BENCH_WEB_SECONDS) || 10;
const MIB = 1024 * 1024;
const WEB_DIR = join(root, 'packages', 'relay-server', 'dist', 'web');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-precise-memory-info'];

/**
 * The flooding agent: waits for its trigger file, then prints FLOOD_MIB_PER_S MiB/s of numbered 100-byte lines
 * for FLOOD_SECONDS (paced every 10 ms against the clock, so a slow tick catches up), then idles.
 */
const PRODUCER = `
const fs = require('node:fs');
const [trigger, rate, seconds] = process.argv.slice(1);
const wait = setInterval(() => {
  if (!fs.existsSync(trigger)) return;
  clearInterval(wait);
  const total = Number(rate) * 1048576 * Number(seconds);
  const start = Date.now();
  let sent = 0, line = 0;
  const tick = setInterval(() => {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * Number(rate) * 1048576));
    let chunk = '';
    while (sent + chunk.length < due) chunk += String(++line).padStart(9, '0') + ' ' + 'x'.repeat(89) + '\\n';
    sent += chunk.length;
    if (chunk) process.stdout.write(chunk);
    if (sent >= total) { clearInterval(tick); fs.writeFileSync(trigger + '.done', String(sent)); setInterval(() => {}, 1e6); }
  }, 10);
}, 20);
`;

export async function run() {
  const rows = [bundleSize()];
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return [...rows, { name: 'web view: skipped (playwright-core missing)', value: 0, unit: '', ok: false }];
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const hosts = (process.env.VIBE_BENCH_WEB_HOSTS ?? 'tmux,pty').split(',');
    // tmux, the usual host: under a flood it sends the daemon redraws in place of every byte.
    if (hosts.includes('tmux')) rows.push(...(await withDaemon({}, 'tmux', async (open) => [await firstFrame(browser, open(1)), ...(await flood(browser, open, 'tmux'))])));
    // node-pty in the daemon passes every byte on: what the page itself can take.
    if (hosts.includes('pty')) rows.push(...(await withDaemon({ VIBE_SESSION_HOST: 'pty' }, 'pty', (open) => flood(browser, open, 'pty'))));
  } finally {
    await browser.close();
  }
  return rows;
}

/** A scratch daemon with a shell task (1) and a flooding task (2), connected to its embedded relay. */
async function withDaemon(env, host, measure) {
  let home = '';
  const scratch = startScratchDaemon({
    env,
    configure(dir) {
      home = dir;
      mkdirSync(join(dir, 'config'), { recursive: true });
      writeFileSync(join(dir, 'config', 'config.json'), JSON.stringify({ agents: { flood: { command: [process.execPath, '-e', PRODUCER, join(dir, 'flood-go'), String(FLOOD_MIB_PER_S), String(FLOOD_SECONDS)], prompt: 'none' } } }));
    },
  });
  const vibe = (...args) => execFileSync(vibeBin, args, { cwd: scratch.repo, env: scratch.env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  try {
    vibe('task', 'add', 'first frame', '--agent', 'shell', '--start');
    vibe('task', 'add', 'flood', '--agent', 'flood', '--start');
    const link = JSON.parse(vibe('connect', '--json', '--label', `bench-${host}`)).url;
    const project = encodeURIComponent(JSON.parse(vibe('project', 'ls', '--json')).projects[0].name);
    const session = JSON.parse(vibe('task', 'show', '2', '--json')).session.id;
    const open = (number) => `${link}/${project}/${number}`;
    open.trigger = join(home, 'flood-go');
    open.watch = () => localWatcher(scratch.socket, session);
    return await measure(open);
  } finally {
    scratch.dispose();
  }
}

function bundleSize() {
  const gzip = (name) => gzipSync(readFileSync(join(WEB_DIR, name)), { level: 9 }).length;
  const js = gzip('app.js');
  const css = gzip('app.css');
  const kb = (js + css) / 1000;
  return { name: `web view JS + CSS, gzip (JS ${(js / 1000).toFixed(0)} kB, CSS ${(css / 1000).toFixed(0)} kB)`, value: kb, unit: 'kB', target: '<= 350', ok: kb <= 350 };
}

/** Each load in a fresh context (no cache): navigation start to the terminal's first frame written by xterm. */
async function firstFrame(browser, url) {
  const times = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('vibe-first-frame').length > 0, null, { timeout: 15_000 });
    times.push(await page.evaluate(() => performance.getEntriesByName('vibe-first-frame')[0].startTime));
    await context.close();
  }
  const value = median(times);
  return { name: `link opened → first terminal frame, median of ${LOADS} (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`, value, unit: 'ms', target: '<= 1000', ok: value <= 1000 };
}

/**
 * The daemon's own stream of the flood, read over the local socket as fast as it comes (acknowledged at once):
 * what the page should have rendered. Under a flood tmux sends redraws in place of every byte, so this is far
 * less than the program wrote, and the same for every client.
 */
async function localWatcher(socket, session) {
  const p = './packages/protocol/src';
  const protocol = await bundleFromSource('web-protocol', [`export { connectToDaemon } from '${p}/node/socket-client.ts';`, `export { FrameKind } from '${p}/frame.ts';`].join('\n'), []);
  const { client } = await protocol.connectToDaemon(socket, { client: { name: 'vibe-bench', version: '0' }, timeoutMs: 10_000 });
  const watcher = { offset: 0, close: () => client.close() };
  client.onFrame((frame) => {
    if (frame.session !== session) return;
    if (frame.kind === protocol.FrameKind.Snapshot) watcher.offset = frame.seq;
    else if (frame.kind === protocol.FrameKind.Output) {
      watcher.offset = frame.seq + frame.payload.length;
      client.sendFrame({ kind: protocol.FrameKind.Ack, session, seq: watcher.offset, payload: new Uint8Array(0) });
    }
  });
  const attached = await client.request('session.attach', { session, readOnly: true });
  watcher.offset = attached.offset;
  return watcher;
}

async function flood(browser, open, host) {
  const url = open(2);
  const trigger = open.trigger;
  const local = await open.watch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('vibe-first-frame').length > 0, null, { timeout: 15_000 });
  await sleep(500);
  const sample = () => page.evaluate(() => ({ offset: Number(document.querySelector('.terminal-screen')?.dataset.offset ?? 0), heap: performance.memory.usedJSHeapSize, state: document.querySelector('.conn')?.dataset.state }));
  const before = await sample();
  const profiler = process.env.VIBE_BENCH_WEB_PROFILE ? await context.newCDPSession(page) : undefined;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.start');
  }
  writeFileSync(trigger, '');
  const started = Date.now();
  let peakHeap = before.heap;
  let last = before;
  const samples = [];
  // Sample until the producer is done and the page's offset stopped moving for a second (bounded: 3x the flood).
  let still = 0;
  while (Date.now() - started < FLOOD_SECONDS * 3000) {
    await sleep(250);
    const now = await sample();
    samples.push({ at: Date.now() - started, ...now });
    peakHeap = Math.max(peakHeap, now.heap);
    still = now.offset === last.offset ? still + 1 : 0;
    last = now;
    if (still >= 4 && readDone(trigger) !== undefined) break;
  }
  if (profiler) printProfile((await profiler.send('Profiler.stop')).profile);
  const produced = readDone(trigger) ?? 0;
  const streamed = local.offset - before.offset;
  local.close();
  if (process.env.VIBE_BENCH_WEB_DEBUG) console.error(samples.map((entry) => `${entry.at} ${entry.offset} ${entry.state}`).join('\n'));
  const rendered = last.offset - before.offset;
  const endAt = samples.findLast((entry, index) => index === 0 || entry.offset !== samples[index - 1].offset)?.at ?? 0;
  const lagMs = Math.max(0, endAt - FLOOD_SECONDS * 1000);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1000)));
  const after = await sample();
  await context.close();
  const share = streamed > 0 ? rendered / streamed : 0;
  return [
    {
      name: `web terminal (${host} host), program at ${FLOOD_MIB_PER_S} MiB/s for ${FLOOD_SECONDS} s (${(produced / MIB).toFixed(0)} MiB): page rendered ${(rendered / MIB).toFixed(2)} MiB of the daemon's stream ${(streamed / MIB).toFixed(2)} MiB`,
      value: share,
      unit: '×',
      target: '>= 0.99',
      ok: share >= 0.99,
    },
    { name: `web terminal (${host} host): rendered ${(rendered / MIB / (endAt / 1000)).toFixed(2)} MiB/s; last byte after the program's last write`, value: lagMs, unit: 'ms', target: '<= 1000', ok: lagMs <= 1000 },
    // Bounded by xterm's 5,000-line scrollback and the 256 KiB the daemon lets be in flight; the rest is garbage the GC takes back.
    { name: `web tab JS heap (${host} host), peak during the flood (before ${(before.heap / MIB).toFixed(1)}, 1 s after ${(after.heap / MIB).toFixed(1)} MiB)`, value: peakHeap / MIB, unit: 'MiB', target: '<= 128', ok: peakHeap / MIB <= 128 },
  ];
}

function readDone(trigger) {
  try {
    return Number(readFileSync(`${trigger}.done`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** VIBE_BENCH_WEB_PROFILE=1: the page's functions by self time during the flood, on stderr. */
function printProfile(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id).callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}:${frame.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[index] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stderr.write(`${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}\n`);
}
