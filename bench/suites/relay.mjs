// Relay figures (issue 8): one relay process idle and with 1,000 registered daemon+client pairs (RSS), and one
// session watched by 100 protocol-level clients through the embedded relay while it prints 1 MiB/s.
//
// The watchers run the CLI's own code — connectOverRelay with nodeAead, session.attach, the CLI's ScreenWriter
// acking Output frames — bundled from source by esbuild. They live in worker threads of this process, so one
// event loop decrypting 100 streams does not become the bottleneck being measured; this file is also the
// workers' entry (see the isMainThread guard below).
import { Buffer } from 'node:buffer';
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { clearInterval, setInterval } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { bundleFromSource, root, rssMb, sleep, startScratchDaemon, vibeBin } from '../lib.mjs';

// Quick looks may lower these (VIBE_BENCH_RELAY_PAIRS=200 VIBE_BENCH_RELAY_WATCHERS=20); reported figures use the defaults.
const PAIRS = Number(process.env.VIBE_BENCH_RELAY_PAIRS) || 1000;
const WATCHERS = Number(process.env.VIBE_BENCH_RELAY_WATCHERS) || 100;
const FLOOD_SECONDS = Number(process.env.VIBE_BENCH_RELAY_SECONDS) || 10;
const WATCHER_THREADS = 2;
/** Pairs opened at once: 2 handshakes each, within the burst below; the next batch waits for the bucket to refill. */
const PAIR_BATCH = 100;
const PAIR_RELAY_FLAGS = ['--handshake-rate', '1000', '--handshake-burst', '200'];
const BATCH_REFILL_MS = 300;
/** The embedded relay keeps its defaults (20 handshakes/s, burst 40 per address): watchers connect below that. */
const WATCHER_CONNECT_RATE = 15;
const WATCHER_CONNECT_BURST = 30;
const MIB = 1024 * 1024;
/**
 * The program's output: 1 MiB/s of printable lines in small, even writes (4 KiB every 3.9 ms). tmux renders
 * the pane for the daemon and, once its client is more than ~8 bytes per cell behind, sends a redraw in place
 * of the lines; a 64 KiB burst every 62.5 ms comes close to that on its own.
 */
const CHUNK_BYTES = Number(process.env.VIBE_BENCH_RELAY_CHUNK) || 4 * 1024;
const CHUNK_MS = (CHUNK_BYTES / MIB) * 1000;
const RELAY_MAIN = join(root, 'packages', 'relay-server', 'dist', 'main.js');
const clock = () => performance.timeOrigin + performance.now();

if (!isMainThread && workerData?.relayWatchers) void watcherThread(workerData);

export async function run() {
  const protocol = await loadProtocol();
  return [...(await relayMemory(protocol)), ...(await fanOut(protocol))];
}

/** Code shared with the CLI, bundled from source (the packages export TypeScript sources). */
async function loadProtocol() {
  const p = './packages/protocol/src';
  const contents = [
    `export { connectOverRelay } from '${p}/e2e/relay-client.ts';`,
    `export { nodeAead } from '${p}/node/aead.ts';`,
    `export { connectToDaemon } from '${p}/node/socket-client.ts';`,
    `export { FrameKind } from '${p}/frame.ts';`,
    `export { daemonIdFor } from '${p}/e2e/identity.ts';`,
    `export { fromBase64Url, toBase64Url } from '${p}/e2e/bytes.ts';`,
    `export { registerTranscript, encodeRelayMessage, decodeRelayMessage, RelayOp } from '${p}/relay/index.ts';`,
    "export { ScreenWriter } from './packages/protocol/src/terminal/screen-writer.ts';",
  ].join('\n');
  // Worker threads import the same bundle by path.
  return { ...(await bundleFromSource('relay-protocol', contents, ['ws'])), bundlePath: join(root, 'bench', 'results', 'relay-protocol.mjs') };
}

// ---- One relay process: idle, then 1,000 daemon+client pairs ----

async function relayMemory(protocol) {
  const rows = [];
  const idle = await startRelay([]);
  try {
    const rss = await settledRss(idle.pid);
    rows.push({ name: 'relay process idle: RSS', value: rss, unit: 'MB', target: '<= 60', ok: rss <= 60 });
  } finally {
    await idle.stop();
  }
  // For scale: what Node itself holds doing nothing, on this machine.
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  try {
    rows.push({ name: '  for scale: bare node idle: RSS', value: await settledRss(bare.pid), unit: 'MB' });
  } finally {
    bare.kill('SIGKILL');
  }
  const relay = await startRelay(PAIR_RELAY_FLAGS);
  const sockets = [];
  try {
    const started = clock();
    let routed = 0;
    let refused = 0;
    for (let first = 0; first < PAIRS; first += PAIR_BATCH) {
      const batchStart = clock();
      const indices = Array.from({ length: Math.min(PAIR_BATCH, PAIRS - first) }, (_, i) => first + i);
      const results = await Promise.all(indices.map((i) => openPair(protocol, relay.wsUrl, i, sockets)));
      routed += results.filter((r) => r.routed).length;
      refused += results.reduce((n, r) => n + r.refused, 0);
      const wait = BATCH_REFILL_MS - (clock() - batchStart);
      if (wait > 0) await sleep(wait);
    }
    const openSeconds = (clock() - started) / 1000;
    const health = await getJson(`${relay.url}/healthz`);
    process.stderr.write(`  ${routed}/${PAIRS} pairs routed in ${openSeconds.toFixed(1)} s, ${refused} handshakes refused and retried; relay counts ${JSON.stringify(health)}\n`);
    const rss = await settledRss(relay.pid);
    const all = routed === PAIRS && health.daemons === PAIRS && health.clients === PAIRS;
    rows.push(
      { name: `relay with ${PAIRS} daemon+client pairs routed, one message each way`, value: routed, unit: `pairs (relay counts ${health.daemons} daemons, ${health.clients} clients; opened in ${openSeconds.toFixed(1)} s)`, target: `= ${PAIRS}`, ok: all },
      { name: `relay with ${PAIRS} pairs (${PAIR_RELAY_FLAGS.join(' ')}): RSS`, value: rss, unit: 'MB', target: '<= 150', ok: all && rss <= 150 },
    );
    return rows;
  } finally {
    for (const ws of sockets) ws.terminate();
    await relay.stop();
  }
}

/** The built relay with `--port 0`; resolves once its first log line names the port. */
async function startRelay(flags) {
  const child = spawn(process.execPath, [RELAY_MAIN, '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const exited = new Promise((resolve) => child.once('exit', resolve));
  createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(forced);
  };
  try {
    const listening = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`relay did not start within 10 s: ${output.join('\n')}`)), 10_000);
      // Read every line, not just the first: a full stdout pipe would stall the relay.
      createInterface({ input: child.stdout }).on('line', (line) => {
        output.push(line);
        let entry;
        try {
          entry = JSON.parse(line);
        } catch {
          return;
        }
        if (entry?.msg !== 'listening') return;
        clearTimeout(timer);
        resolve(entry);
      });
      void exited.then(() => reject(new Error(`relay exited before listening: ${output.join('\n')}`)));
    });
    return { pid: child.pid, url: listening.url, wsUrl: listening.url.replace(/^http/, 'ws'), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A daemon that registers with a fresh Ed25519 key (signed challenge), then a client naming it; the client
 * sends "ping i", the daemon must receive exactly that for the conn the relay opened and answers "pong i".
 */
async function openPair(protocol, wsUrl, i, sockets) {
  const { daemonIdFor, fromBase64Url, toBase64Url, registerTranscript, encodeRelayMessage, decodeRelayMessage, RelayOp } = protocol;
  let refused = 0;
  const open = async (url) => {
    for (let attempt = 0; ; attempt++) {
      const inbox = new Inbox(url);
      sockets.push(inbox.ws);
      try {
        await inbox.opened;
        return inbox;
      } catch (error) {
        if (!/429/.test(error.message) || attempt >= 3) throw error;
        refused++;
        await sleep(BATCH_REFILL_MS);
      }
    }
  };
  try {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = fromBase64Url(publicKey.export({ format: 'jwk' }).x);
    const daemonId = daemonIdFor(raw);
    const daemon = await open(`${wsUrl}/v1/daemon`);
    const challenge = JSON.parse((await daemon.next()).data.toString());
    const signature = sign(null, registerTranscript(fromBase64Url(challenge.nonce), challenge.relay), privateKey);
    daemon.ws.send(JSON.stringify({ type: 'register', publicKey: toBase64Url(raw), signature: toBase64Url(signature) }));
    const registered = JSON.parse((await daemon.next()).data.toString());
    if (registered.type !== 'registered' || registered.daemonId !== daemonId) throw new Error(`not registered: ${JSON.stringify(registered)}`);

    const client = await open(`${wsUrl}/v1/client?daemon=${daemonId}`);
    const opened = decodeRelayMessage((await daemon.next()).data);
    if (opened.op !== RelayOp.Open) throw new Error(`expected OPEN, got op ${opened.op}`);
    client.ws.send(Buffer.from(`ping ${i}`));
    const data = decodeRelayMessage((await daemon.next()).data);
    if (data.op !== RelayOp.Data || data.conn !== opened.conn || Buffer.from(data.payload).toString() !== `ping ${i}`) throw new Error(`daemon ${i} got the wrong message`);
    daemon.ws.send(encodeRelayMessage({ op: RelayOp.Data, conn: opened.conn, payload: Buffer.from(`pong ${i}`) }));
    const answer = (await client.next()).data.toString();
    if (answer !== `pong ${i}`) throw new Error(`client ${i} got ${JSON.stringify(answer)}`);
    return { routed: true, refused };
  } catch (error) {
    process.stderr.write(`  pair ${i}: ${error.message}\n`);
    return { routed: false, refused };
  }
}

/** A `ws` socket with a queue of received messages; every wait is bounded. */
class Inbox {
  constructor(url) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.messages = [];
    this.waiter = undefined;
    this.closed = undefined;
    this.ws.on('message', (data, binary) => {
      this.messages.push({ data, binary });
      this.waiter?.();
    });
    this.ws.on('close', (code) => {
      this.closed = code;
      this.waiter?.();
    });
    this.ws.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no WebSocket handshake within 10 s')), 10_000);
      this.ws.once('open', () => (clearTimeout(timer), resolve()));
      this.ws.once('unexpected-response', (_req, res) => (clearTimeout(timer), reject(new Error(`HTTP ${res.statusCode}`))));
      this.ws.once('close', () => (clearTimeout(timer), reject(new Error('closed before open'))));
    });
    this.opened.catch(() => undefined);
  }

  async next(ms = 10_000) {
    const deadline = clock() + ms;
    while (this.messages.length === 0) {
      if (this.closed !== undefined) throw new Error(`closed with ${this.closed} while waiting for a message`);
      const left = deadline - clock();
      if (left <= 0) throw new Error(`no message within ${ms} ms`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => (clearTimeout(timer), resolve());
      });
      this.waiter = undefined;
    }
    return this.messages.shift();
  }
}

function getJson(url) {
  return withTimeout(
    new Promise((resolve, reject) => {
      get(url, (res) => {
        const parts = [];
        res.on('data', (part) => parts.push(part));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString())));
      }).on('error', reject);
    }),
    5000,
    url,
  );
}

/** RSS once it stops moving (four samples 250 ms apart within 0.5 MB, after at least 1.5 s), at most 10 s. */
async function settledRss(pid) {
  const samples = [];
  const started = clock();
  for (;;) {
    samples.push(rssMb(pid));
    const last = samples.slice(-4);
    if (clock() - started >= 1500 && last.length === 4 && Math.max(...last) - Math.min(...last) <= 0.5) return last.at(-1);
    if (clock() - started >= 10_000) return last.at(-1);
    await sleep(250);
  }
}

// ---- One session, 100 watchers through the embedded relay ----

/**
 * Floods once per go file (`GO-1`, then `GO-2`, …): `chunk` bytes of numbered printable lines every `period`
 * ms on a fixed schedule (a late timer writes every chunk that is due at once), `chunks` in all.
 */
const FLOOD_PROGRAM = `
const fs = require('node:fs');
const [go, chunk, period, chunks] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const line = (i) => String(i).padStart(8, '0') + ' the quick brown fox jumps over the lazy dog 0123456789 abcdefgh\\n';
let text = '';
for (let i = 0; text.length < 4 * 1024 * 1024 + chunk; i++) text += line(i);
let round = 1;
let sent = 0;
const flood = () => {
  const poll = setInterval(() => {
    if (!fs.existsSync(go + '-' + round)) return;
    clearInterval(poll);
    const start = performance.now();
    let done = 0;
    const tick = () => {
      const due = Math.min(chunks, Math.floor((performance.now() - start) / period) + 1);
      const from = (sent * chunk) % (4 * 1024 * 1024);
      process.stdout.write(text.slice(from, from + (due - done) * chunk));
      sent += due - done;
      done = due;
      if (done < chunks) setTimeout(tick, Math.max(0, start + done * period - performance.now()));
      else (round++, flood());
    };
    tick();
  }, 5);
};
flood();
setInterval(() => {}, 1 << 30);
`;

async function fanOut(protocol) {
  const chunks = Math.round((FLOOD_SECONDS * 1000) / CHUNK_MS);
  const scratch = startScratchDaemon({
    configure(home) {
      mkdirSync(join(home, 'config'), { recursive: true });
      writeFileSync(join(home, 'flood.cjs'), FLOOD_PROGRAM);
      const flood = { command: ['node', join(home, 'flood.cjs'), join(home, 'go'), String(CHUNK_BYTES), String(CHUNK_MS), String(chunks)], prompt: 'none' };
      writeFileSync(join(home, 'config', 'config.json'), JSON.stringify({ agents: { flood } }));
    },
  });
  const vibe = (...args) => execFileSync(vibeBin, args, { cwd: scratch.repo, env: scratch.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).toString();
  let relayPid;
  let taskNumber;
  let local;
  let pool;
  let sampler;
  try {
    const { task, session } = JSON.parse(vibe('task', 'add', 'relay fan-out', '--agent', 'flood', '--start', '--json'));
    taskNumber = task.number;
    const connected = JSON.parse(vibe('connect', '--json', '--label', 'bench-fanout'));
    relayPid = connected.relay.embedded?.pid;
    if (!relayPid) throw new Error(`vibe connect started no embedded relay: ${JSON.stringify(connected.relay)}`);
    const tmuxPid = Number(execFileSync('tmux', ['-S', join(scratch.env.VIBE_HOME, 'run', 'tmux.sock'), 'display-message', '-p', '#{pid}']).toString().trim());

    // The daemon's stream as it carried it: a watcher on the local socket, beside the relay's.
    const { client } = await protocol.connectToDaemon(scratch.socket, { client: { name: 'vibe-bench', version: '0' }, timeoutMs: 10_000 });
    local = new Watcher(protocol, client, session.id);
    await local.attach();
    const go = (round) => {
      local.arm();
      writeFileSync(join(scratch.env.VIBE_HOME, `go-${round}`), '');
      return clock();
    };

    // Round 1, the local watcher alone: what tmux and the daemon make of the program's output with no fan-out.
    await sleep(500);
    const alone = await floodEnd(local, go(1));
    const aloneRate = rate(local.report(), alone.endOffset, alone.endAt);

    // Round 2: the same flood with the relay watchers attached.
    pool = new WatcherPool(protocol.bundlePath, connected.url, session.id);
    const attached = await pool.connectAll(WATCHERS);
    process.stderr.write(`  ${attached}/${WATCHERS} watchers attached through the relay\n`);
    await sleep(1000);
    const pids = { relay: relayPid, daemon: scratch.pid, tmux: tmuxPid, harness: process.pid };
    const samples = [];
    const sample = () => samples.push({ at: clock(), cpu: mapValues(pids, cpuSeconds), rss: mapValues({ relay: relayPid, daemon: scratch.pid }, rssOrNaN) });
    await pool.all('arm');
    sample();
    sampler = setInterval(sample, 250);
    const goAt = go(2);
    const { endOffset } = await floodEnd(local, goAt);
    // Watchers that lag get up to 15 s more to reach the end of the stream; after that their rate counts the wait.
    const catchUpDeadline = clock() + 15_000;
    let reports;
    for (;;) {
      reports = await pool.all('report');
      if (reports.every((r) => r.offset >= endOffset || r.lost) || clock() > catchUpDeadline) break;
      await sleep(250);
    }
    const reportedAt = clock();
    clearInterval(sampler);
    sample();
    return fanOutRows({ local: local.report(), aloneRate, reports, endOffset, reportedAt, samples, goAt, attached, chunks });
  } finally {
    clearInterval(sampler);
    await pool?.close();
    local?.client.close();
    try {
      vibe('disconnect');
      if (taskNumber) vibe('task', 'stop', String(taskNumber));
    } catch {
      // The daemon is torn down below either way.
    }
    scratch.dispose();
    killIfRelay(relayPid);
  }
}

/** Waits until the local watcher has had nothing for a second after the program's run time: the stream's end. */
async function floodEnd(local, goAt) {
  const deadline = goAt + FLOOD_SECONDS * 1000 + 30_000;
  for (;;) {
    await sleep(100);
    const now = clock();
    if (local.firstAt === undefined && now - goAt > 5000) throw new Error('the session printed nothing within 5 s of its go file');
    if (local.lastAt !== undefined && now - goAt > FLOOD_SECONDS * 1000 && now - local.lastAt > 1000) return { endOffset: local.offset, endAt: now };
    if (now > deadline) throw new Error('the session was still printing 30 s after its flood should have ended');
  }
}

/** MiB/s a watcher received from its first flood byte to the end of the stream (or to `until` if it never got there). */
function rate(report, endOffset, until) {
  if (report.firstAt === undefined) return 0;
  const end = report.offset >= endOffset ? report.lastAt : until;
  return report.received / MIB / ((end - report.firstAt) / 1000);
}

function fanOutRows({ local, aloneRate, reports, endOffset, reportedAt, samples, goAt, attached, chunks }) {
  const stream = rate(local, endOffset, reportedAt);
  const rates = reports.map((r) => rate(r, endOffset, reportedAt));
  const slowest = rates.length ? Math.min(...rates) : 0;
  const resyncs = reports.reduce((n, r) => n + r.resyncs, 0);
  const gaps = reports.reduce((n, r) => n + r.gaps, 0);
  const lost = reports.filter((r) => r.lost);
  const behind = reports.filter((r) => r.offset < endOffset).length;
  for (const r of lost) process.stderr.write(`  watcher ${r.index} lost: ${r.lost}\n`);
  // CPU and RSS from the go file until the last watcher's last byte.
  const lastByte = Math.min(reportedAt, Math.max(local.lastAt, ...reports.map((r) => r.lastAt ?? 0)));
  const during = samples.filter((s) => s.at >= goAt - 1000 && s.at <= lastByte + 250);
  const [first, last] = [during[0], during.at(-1)];
  const seconds = (last.at - first.at) / 1000;
  const cpu = (name) => ((last.cpu[name] - first.cpu[name]) / seconds) * 100;
  const peak = (name) => Math.max(...during.map((s) => s.rss[name]));
  const n = `${WATCHERS} watchers`;
  const programRate = (chunks * CHUNK_BYTES) / MIB / ((chunks * CHUNK_MS) / 1000);
  const allThere = attached === WATCHERS && lost.length === 0 && behind === 0;
  return [
    { name: `session alone: daemon's stream rate (local socket watcher)`, value: aloneRate, unit: `MiB/s (program writes ${programRate.toFixed(2)} MiB/s for ${FLOOD_SECONDS} s, through tmux)` },
    { name: `${n}: daemon's stream rate (local socket watcher)`, value: stream, unit: `MiB/s (${(local.received / MIB).toFixed(1)} MiB; ${local.resyncs} resyncs)` },
    // Watchers can only keep up with the stream the daemon carries; if fan-out slows the daemon's reading of
    // tmux, tmux sends redraws instead of lines and that stream shrinks. This row catches it.
    { name: `${n}: daemon's stream / session alone`, value: aloneRate > 0 ? stream / aloneRate : 0, unit: '×', target: '>= 0.9', ok: aloneRate > 0 && stream / aloneRate >= 0.9 },
    { name: `${n}: slowest watcher's received rate`, value: slowest, unit: `MiB/s (${attached}/${WATCHERS} attached, ${lost.length} lost, ${behind} short of the end)` },
    { name: `${n}: slowest watcher / daemon's stream`, value: stream > 0 ? slowest / stream : 0, unit: '×', target: '>= 0.95', ok: allThere && stream > 0 && slowest / stream >= 0.95 },
    { name: `${n}: Snapshot resyncs mid-stream`, value: resyncs, unit: `(silent gaps ${gaps})`, target: '0', ok: allThere && resyncs === 0 && gaps === 0 },
    { name: `${n}: relay RSS peak, CPU`, value: peak('relay'), unit: `MB, CPU ${cpu('relay').toFixed(0)}% of a core` },
    { name: `${n}: daemon RSS peak, CPU`, value: peak('daemon'), unit: `MB, CPU ${cpu('daemon').toFixed(0)}% of a core` },
    { name: `${n}: CPU of tmux server / this harness`, value: cpu('tmux'), unit: `% of a core / ${cpu('harness').toFixed(0)}%` },
  ];
}

/** One session viewer as the CLI attaches: hello done by the caller, session.attach, a ScreenWriter that acks. */
class Watcher {
  constructor(protocol, client, session) {
    this.protocol = protocol;
    this.client = client;
    this.session = session;
    this.offset = 0;
    this.received = 0;
    this.resyncs = 0;
    this.gaps = 0;
    this.armed = false;
    this.firstAt = undefined;
    this.lastAt = undefined;
    this.lost = undefined;
    this.held = [];
    client.onFrame((frame) => {
      if (frame.session !== this.session) return;
      if (this.held) this.held.push(frame);
      else this.deliver(frame, true);
    });
    client.onClose((error) => (this.lost ??= error.message));
  }

  async attach() {
    const { FrameKind, ScreenWriter } = this.protocol;
    const attached = await withTimeout(this.client.request('session.attach', { session: this.session, readOnly: true }), 10_000, 'session.attach');
    this.offset = attached.offset;
    const ack = (seq) => {
      try {
        this.client.sendFrame({ kind: FrameKind.Ack, session: this.session, seq, payload: new Uint8Array(0) });
      } catch {
        // The connection is gone; `lost` says so.
      }
    };
    // A terminal that takes every write at once (as a TTY's synchronous write does), so acks follow arrival.
    const output = { write: (_bytes, callback) => (process.nextTick(() => callback?.()), true) };
    this.writer = new ScreenWriter({ output, session: this.session, offset: attached.offset, ack });
    const held = this.held;
    this.held = undefined;
    // The attach's own snapshot arrives before its answer; only a later one is a resync.
    for (const frame of held) this.deliver(frame, false);
  }

  deliver(frame, afterAttach) {
    const { FrameKind } = this.protocol;
    if (frame.kind === FrameKind.Snapshot) {
      if (afterAttach) this.resyncs++;
      this.offset = frame.seq;
    } else if (frame.kind === FrameKind.Output) {
      const end = frame.seq + frame.payload.length;
      if (frame.seq > this.offset) this.gaps++;
      if (end > this.offset) {
        if (this.armed) {
          const now = clock();
          this.firstAt ??= now;
          this.lastAt = now;
          this.received += end - Math.max(this.offset, frame.seq);
        }
        this.offset = end;
      }
    }
    this.writer.frame(frame);
  }

  /** From here on, arriving bytes count (the session is quiet, waiting for its go file). */
  arm() {
    Object.assign(this, { armed: true, received: 0, firstAt: undefined, lastAt: undefined });
  }

  report() {
    const { offset, received, resyncs, gaps, firstAt, lastAt, lost } = this;
    return { offset, received, resyncs, gaps, firstAt, lastAt, lost };
  }
}

/** Worker threads holding the relay watchers; the main thread paces their connects under the relay's limit. */
class WatcherPool {
  constructor(bundlePath, link, session) {
    this.calls = new Map();
    this.nextId = 1;
    this.workers = Array.from({ length: WATCHER_THREADS }, () => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { relayWatchers: true, bundlePath, link, session } });
      worker.on('message', ({ id, result, error, retryable }) => {
        const call = this.calls.get(id);
        if (!call) return;
        this.calls.delete(id);
        clearTimeout(call.timer);
        if (error === undefined) call.resolve(result);
        else call.reject(Object.assign(new Error(error), { retryable }));
      });
      worker.on('error', (error) => {
        for (const call of this.calls.values()) call.reject(error);
      });
      return worker;
    });
  }

  call(worker, op, args = {}, ms = 20_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (this.calls.delete(id), reject(new Error(`watcher thread: ${op} took over ${ms} ms`))), ms);
      this.calls.set(id, { resolve, reject, timer });
      worker.postMessage({ id, op, ...args });
    });
  }

  async all(op) {
    return (await Promise.all(this.workers.map((worker) => this.call(worker, op)))).flat();
  }

  /** Connects `count` watchers, spread over the threads, no faster than the relay's handshake limit allows. */
  async connectAll(count) {
    const tokens = { left: WATCHER_CONNECT_BURST, at: clock() };
    let chain = Promise.resolve();
    const take = () =>
      (chain = chain.then(async () => {
        tokens.left = Math.min(WATCHER_CONNECT_BURST, tokens.left + ((clock() - tokens.at) / 1000) * WATCHER_CONNECT_RATE);
        tokens.at = clock();
        if (tokens.left < 1) await sleep(((1 - tokens.left) / WATCHER_CONNECT_RATE) * 1000);
        tokens.left -= 1;
      }));
    const connect = async (index, attempt) => {
      await take();
      try {
        await this.call(this.workers[index % this.workers.length], 'connect', { index });
        return true;
      } catch (error) {
        if (attempt < 4 && error.retryable) return sleep(1000).then(() => connect(index, attempt + 1));
        process.stderr.write(`  watcher ${index}: ${error.message}\n`);
        return false;
      }
    };
    const results = await Promise.all(Array.from({ length: count }, (_, index) => connect(index, 1)));
    return results.filter(Boolean).length;
  }

  async close() {
    await Promise.allSettled(this.workers.map((worker) => this.call(worker, 'close', {}, 5000)));
    await Promise.allSettled(this.workers.map((worker) => worker.terminate()));
  }
}

/** A watcher thread: connects over the link as `vibe --link` does and reports what its watchers received. */
async function watcherThread({ bundlePath, link, session }) {
  const protocol = await import(pathToFileURL(bundlePath).href);
  const watchers = new Map();
  parentPort.on('message', async ({ id, op, index }) => {
    try {
      let result;
      if (op === 'connect') {
        const { client } = await protocol.connectOverRelay(link, { WebSocket, aead: protocol.nodeAead, binaryType: 'nodebuffer', client: { name: 'vibe-bench', version: '0' }, timeoutMs: 10_000 });
        const watcher = new Watcher(protocol, client, session);
        try {
          await watcher.attach();
        } catch (error) {
          client.close();
          throw error;
        }
        watchers.set(index, watcher);
      } else if (op === 'arm') {
        for (const watcher of watchers.values()) watcher.arm();
        result = [];
      } else if (op === 'report') {
        result = [...watchers].map(([i, watcher]) => ({ index: i, ...watcher.report() }));
      } else if (op === 'close') {
        for (const watcher of watchers.values()) watcher.client.close();
        result = [];
      }
      parentPort.postMessage({ id, result });
    } catch (error) {
      parentPort.postMessage({ id, error: error.message, retryable: error.retryable === true });
    }
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds (user + system) a process has used, from /proc; NaN once it is gone. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

function rssOrNaN(pid) {
  try {
    return rssMb(pid);
  } catch {
    return Number.NaN;
  }
}

function mapValues(object, f) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, f(value)]));
}

/** `vibe down` stops the embedded relay; should it linger, it is killed by pid (only if it is still that relay). */
function killIfRelay(pid) {
  if (!pid || !existsSync(`/proc/${pid}`)) return;
  try {
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('relay-server')) process.kill(pid, 'SIGKILL');
  } catch {
    // Gone in the meantime.
  }
}
