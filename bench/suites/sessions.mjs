// Session figures: output throughput through tmux against raw node-pty, keystroke echo, Ctrl-C under a flood,
// RSS with idle sessions, CPU per MiB. The sessions room runs in this process (bundled from source by esbuild)
// with an in-process viewer that encodes every frame, as the control connection would.
import { Buffer } from 'node:buffer';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleFromSource, median, nowMs, root, sleep } from '../lib.mjs';

// Quick looks may lower these (BENCH_SESSIONS_ROUNDS=1 BENCH_SESSIONS_MIB=8); reported figures use the defaults.
const ROUNDS = Number(process.env.BENCH_SESSIONS_ROUNDS) || 5;
const FLOOD_MIB = Number(process.env.BENCH_SESSIONS_MIB) || 64;
const ECHO_SAMPLES = 400;
const IDLE_SESSIONS = 20;
const COLS = 120;
const ROWS = 40;
const require = createRequire(join(root, 'packages', 'daemon', 'package.json'));

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'vibe-bench-sessions-'));
  const room = await loadRoom();
  const file = join(dir, 'flood.txt');
  writeFlood(file, FLOOD_MIB);
  try {
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      process.stderr.write(`bench: sessions round ${round + 1}/${ROUNDS}…\n`);
      rounds.push(await oneRound(room, dir, file, round));
    }
    const rss = await idleRss(dir);
    return rows(rounds, rss);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rows(rounds, rss) {
  const m = (key) => median(rounds.map((round) => round[key]));
  const ratio = m('ratio');
  return [
    { name: `raw node-pty: cat ${FLOOD_MIB} MiB`, value: m('rawMiBs'), unit: 'MiB/s' },
    { name: 'session → viewer through tmux attach', value: m('tmuxMiBs'), unit: 'MiB/s' },
    { name: 'tmux / raw throughput (per round)', value: ratio, unit: 'x', target: '>= 0.45', ok: ratio >= 0.45 },
    { name: '  lowest / highest round', value: Math.min(...rounds.map((round) => round.ratio)), unit: `/ ${Math.max(...rounds.map((round) => round.ratio)).toFixed(2)} x` },
    // tmux redraws the screen rather than replaying every line when its client lags: far fewer bytes arrive.
    { name: 'bytes reaching the viewer / bytes catted', value: m('delivered') * 100, unit: '%' },
    { name: 'CPU per MiB: this process (sessions room + viewer)', value: m('cpuSelf'), unit: 'ms' },
    { name: 'CPU per MiB: tmux server', value: m('cpuTmux'), unit: 'ms' },
    { name: 'CPU per MiB: raw node-pty reader', value: m('cpuRaw'), unit: 'ms' },
    { name: 'keystroke → echo via tmux, p50', value: m('echoP50'), unit: 'ms', target: '<= 0.5', ok: m('echoP50') <= 0.5 },
    { name: 'keystroke → echo via tmux, p99', value: m('echoP99'), unit: 'ms', target: '<= 1.5', ok: m('echoP99') <= 1.5 },
    { name: 'keystroke → echo, raw node-pty, p50', value: m('rawEchoP50'), unit: 'ms' },
    { name: 'keystroke → echo, raw node-pty, p99', value: m('rawEchoP99'), unit: 'ms' },
    { name: 'Ctrl-C under flood → prompt, via tmux', value: m('ctrlC'), unit: 'ms', target: '<= 20', ok: m('ctrlC') <= 20 },
    { name: 'Ctrl-C under flood → prompt, raw node-pty', value: m('rawCtrlC'), unit: 'ms' },
    { name: `sessions room RSS, ${IDLE_SESSIONS} idle tmux sessions`, value: rss.withSessions, unit: 'MB', target: '<= 120', ok: rss.withSessions <= 120 },
    { name: `  of which the ${IDLE_SESSIONS} sessions`, value: rss.withSessions - rss.before, unit: 'MB' },
    { name: `tmux server RSS, ${IDLE_SESSIONS} idle sessions`, value: rss.tmux, unit: 'MB' },
  ];
}

/** Bundles the sessions room (and the frame encoder) from source, so the bench needs no extra build entry. */
function loadRoom() {
  return bundleFromSource('sessions-room', "export * from './packages/daemon/src/sessions/index.ts';\nexport { encodeFrame } from './packages/protocol/src/index.ts';\n", ['node-pty']);
}

/** Log-like text lines, so the terminal does real work per byte. */
function writeFlood(file, mib) {
  const line = (i) => `${String(i).padStart(8, '0')} the quick brown fox jumps over the lazy dog; lorem ipsum dolor sit amet\n`;
  const block = Array.from({ length: 1024 }, (_, i) => line(i)).join('');
  const copies = Math.ceil((mib * 1024 * 1024) / block.length);
  writeFileSync(file, block.repeat(copies).slice(0, mib * 1024 * 1024));
}

async function oneRound(room, dir, file, round) {
  const fixture = tmuxFixture(room, dir, `round${round}`);
  try {
    // Alternate the order so drift in machine load hits both sides alike.
    const raw = round % 2 === 0 ? await rawFlood(file) : undefined;
    const tmux = await tmuxFlood(fixture, file);
    const rawAfter = raw ?? (await rawFlood(file));
    const echo = await tmuxEcho(fixture);
    const rawEcho = await rawEchoLatency();
    const ctrlC = await tmuxCtrlC(fixture);
    const rawCtrlC = await rawCtrlCLatency();
    return {
      rawMiBs: rawAfter.mibs,
      tmuxMiBs: tmux.mibs,
      ratio: tmux.mibs / rawAfter.mibs,
      delivered: tmux.delivered,
      cpuSelf: tmux.cpuSelf,
      cpuTmux: tmux.cpuTmux,
      cpuRaw: rawAfter.cpuSelf,
      echoP50: echo.p50,
      echoP99: echo.p99,
      rawEchoP50: rawEcho.p50,
      rawEchoP99: rawEcho.p99,
      ctrlC,
      rawCtrlC,
    };
  } finally {
    await fixture.dispose();
  }
}

function tmuxFixture(room, dir, name) {
  const socketDir = join(dir, name);
  mkdirSync(socketDir, { mode: 0o700 });
  const host = new room.TmuxHost({ socketDir, pollMs: 1000 });
  const streams = new room.SessionStreams();
  let nextId = 1;
  return {
    host,
    streams,
    socketDir,
    /** Starts a session and attaches a viewer that encodes and acks every frame; `onBytes` sees the output. */
    async session(argv, env = {}) {
      const id = nextId++;
      const terminal = await host.start({ name: `vibe_${id}`, cwd: socketDir, argv, env, cols: COLS, rows: ROWS });
      streams.add(id, terminal);
      const viewer = { id, bytes: 0, listener: undefined, terminal };
      const sink = {
        id,
        sendFrame(frame) {
          room.encodeFrame(frame);
          if (frame.kind === 0x02) {
            viewer.bytes += frame.payload.length;
            viewer.listener?.(frame.payload);
            streams.ack(sink, id, frame.seq + frame.payload.length);
          }
        },
        bufferedBytes: () => 0,
      };
      viewer.sink = sink;
      await streams.attach(sink, id, { readOnly: false, size: { cols: COLS, rows: ROWS } });
      viewer.type = (text) => streams.input(sink, id, text);
      return viewer;
    },
    tmuxPid() {
      const out = execFileSync('tmux', ['-S', join(socketDir, 'tmux.sock'), 'display-message', '-p', '#{pid}']).toString().trim();
      return Number(out);
    },
    async dispose() {
      streams.dispose();
      try {
        execFileSync('tmux', ['-S', join(socketDir, 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
      } catch {
        // already gone
      }
      await host.dispose();
    },
  };
}

/** Rejects if `promise` has not settled within `ms`, so a stuck step fails the bench instead of hanging it. */
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`bench: timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves with the time `needle` shows up in the bytes a listener is fed (across chunk boundaries). */
function watchFor(needle, ms = 60_000) {
  let tail = '';
  let resolve;
  const seen = within(new Promise((r) => (resolve = r)), ms, JSON.stringify(needle));
  const feed = (payload) => {
    tail = (tail + Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1')).slice(-4096);
    if (tail.includes(needle)) resolve(nowMs());
  };
  return { seen, feed };
}

function cpuMs(usage) {
  return (usage.user + usage.system) / 1000;
}

function procCpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

async function tmuxFlood(fixture, file) {
  const viewer = await fixture.session(['sh'], { PS1: '$ ' });
  await sleep(300);
  const tmuxPid = fixture.tmuxPid();
  const marker = watchFor('END-42');
  viewer.listener = marker.feed;
  const bytesBefore = viewer.bytes;
  const cpu0 = process.cpuUsage();
  const tmux0 = procCpuMs(tmuxPid);
  const start = nowMs();
  viewer.type(`cat ${file}; echo END-$((6*7))\r`);
  const end = await marker.seen;
  const cpuSelf = cpuMs(process.cpuUsage(cpu0));
  const cpuTmux = procCpuMs(tmuxPid) - tmux0;
  viewer.listener = undefined;
  const seconds = (end - start) / 1000;
  return {
    mibs: FLOOD_MIB / seconds,
    delivered: (viewer.bytes - bytesBefore) / (FLOOD_MIB * 1024 * 1024),
    cpuSelf: cpuSelf / FLOOD_MIB,
    cpuTmux: cpuTmux / FLOOD_MIB,
  };
}

async function rawFlood(file) {
  const pty = require('node-pty');
  const cpu0 = process.cpuUsage();
  const start = nowMs();
  let bytes = 0;
  const term = pty.spawn('cat', [file], { cols: COLS, rows: ROWS, cwd: tmpdir(), env: process.env, encoding: null });
  term.onData((data) => (bytes += data.length));
  await new Promise((resolve) => term.onExit(resolve));
  const seconds = (nowMs() - start) / 1000;
  return { mibs: bytes / (1024 * 1024) / seconds, cpuSelf: cpuMs(process.cpuUsage(cpu0)) / (bytes / (1024 * 1024)) };
}

/** Types one key at a time into `stty raw -echo; exec cat` and times each until its echo reaches the viewer. */
async function echoLatency(type, setListener) {
  const samples = [];
  for (let i = 0; i < ECHO_SAMPLES; i++) {
    const key = String.fromCharCode(97 + (i % 26));
    const seen = within(new Promise((resolve) => setListener((payload) => payload.includes(key.charCodeAt(0)) && resolve(nowMs()))), 5000, 'an echo');
    const start = nowMs();
    type(key);
    samples.push((await seen) - start);
    if (i % 26 === 25) type('\r\n');
    await sleep(1);
  }
  setListener(undefined);
  const sorted = samples.sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p99: sorted[Math.floor(sorted.length * 0.99)] };
}

async function tmuxEcho(fixture) {
  const viewer = await fixture.session(['sh', '-c', 'stty raw -echo; echo ready; exec cat']);
  const ready = watchFor('ready');
  viewer.listener = ready.feed;
  await ready.seen;
  await sleep(200);
  return echoLatency(viewer.type, (listener) => (viewer.listener = listener));
}

async function rawEchoLatency() {
  const pty = require('node-pty');
  const term = pty.spawn('sh', ['-c', 'stty raw -echo; echo ready; exec cat'], { cols: COLS, rows: ROWS, cwd: tmpdir(), env: process.env, encoding: null });
  let listener;
  term.onData((data) => listener?.(data));
  try {
    const ready = watchFor('ready');
    listener = ready.feed;
    await ready.seen;
    return await echoLatency((key) => term.write(key), (l) => (listener = l));
  } finally {
    term.kill();
  }
}

/** Floods with `yes`, sends Ctrl-C, and times until the shell prompt reaches the viewer. */
async function ctrlCLatency(type, setListener) {
  let flooded = 0;
  let floodingSeen;
  const flooding = new Promise((resolve) => (floodingSeen = resolve));
  setListener((payload) => (flooded += payload.length) > 16 * 1024 && floodingSeen());
  type('yes\r');
  await within(flooding, 10_000, 'the flood');
  await sleep(500);
  const prompt = watchFor('PROMPT>');
  setListener(prompt.feed);
  const start = nowMs();
  type('\x03');
  const end = await prompt.seen;
  setListener(undefined);
  return end - start;
}

async function tmuxCtrlC(fixture) {
  const viewer = await fixture.session(['sh'], { PS1: 'PROMPT> ' });
  await sleep(300);
  return ctrlCLatency(viewer.type, (listener) => (viewer.listener = listener));
}

async function rawCtrlCLatency() {
  const pty = require('node-pty');
  const term = pty.spawn('sh', [], { cols: COLS, rows: ROWS, cwd: tmpdir(), env: { ...process.env, PS1: 'PROMPT> ' }, encoding: null });
  let listener;
  term.onData((data) => listener?.(data));
  try {
    await sleep(300);
    return await ctrlCLatency((text) => term.write(text), (l) => (listener = l));
  } finally {
    term.kill();
  }
}

/** RSS of a fresh node process holding the sessions room with idle sessions (this one has esbuild loaded). */
async function idleRss(dir) {
  const socketDir = join(dir, 'idle');
  mkdirSync(socketDir, { mode: 0o700 });
  const script = join(dir, 'idle.mjs');
  writeFileSync(
    script,
    `import { TmuxHost, SessionStreams } from ${JSON.stringify(pathToFileURL(join(root, 'bench', 'results', 'sessions-room.mjs')).href)};
const mb = () => process.memoryUsage().rss / 1024 / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
await sleep(500);
const before = mb();
const host = new TmuxHost({ socketDir: ${JSON.stringify(socketDir)} });
const streams = new SessionStreams();
for (let i = 1; i <= ${IDLE_SESSIONS}; i++) {
  const t = await host.start({ name: 'vibe_' + i, cwd: ${JSON.stringify(socketDir)}, argv: ['sh'], env: {}, cols: ${COLS}, rows: ${ROWS} });
  streams.add(i, t, { waitingPatterns: [/\\(y\\/n\\)/], usesHooks: false });
}
await sleep(3000);
process.stdout.write(JSON.stringify({ before, withSessions: mb() }));
for (const name of await host.list()) streams.get(Number(name.slice(5)))?.release();
process.exit(0);
`,
  );
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (data) => (out += data));
  await new Promise((resolve) => child.on('exit', resolve));
  const sock = join(socketDir, 'tmux.sock');
  try {
    const pid = Number(execFileSync('tmux', ['-S', sock, 'display-message', '-p', '#{pid}']).toString().trim());
    const tmux = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
    return { ...JSON.parse(out), tmux };
  } finally {
    try {
      execFileSync('tmux', ['-S', sock, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // gone
    }
  }
}
