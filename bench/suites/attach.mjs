// Terminal clients as a user runs them, each in a pty of this harness: bare `tmux attach` (a tmux server of
// its own, no daemon), `vibe attach` of a tmux-hosted session, and `vibe --link URL attach` through the
// embedded relay. The harness types into the client's pty and times what comes back out of it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pty from 'node-pty';
import { startFloor } from '../floor/index.mjs';
import { median, nowMs, rssMb, sleep, startScratchDaemon, vibeBin } from '../lib.mjs';

const ROUNDS = Number(process.env.VIBE_BENCH_ROUNDS ?? 5);
const FILE_MIB = 32;
const ECHO_SAMPLES = Number(process.env.VIBE_BENCH_ECHO_SAMPLES ?? 300);
const CTRL_C_SAMPLES = 5;
const KEY_GAP_MS = Number(process.env.VIBE_BENCH_KEY_GAP_MS ?? 0);
/** VIBE_BENCH_CLIENTS=vibe,link measures only those clients and prints no table (for profiling). */
const only = process.env.VIBE_BENCH_CLIENTS?.split(',');
const COLS = 120;
const ROWS = 40;
/** bash's prompt in every session: what the harness waits for after a command or a Ctrl-C. */
const PROMPT = 'vb> ';
const SHELL = ['bash', '--norc', '--noprofile', '-i'];
/** tmux options the daemon sets on its private server (serverOptionCommands), so bare tmux renders alike. */
const TMUX_OPTIONS = [
  ['set-option', '-s', 'escape-time', '0'],
  ['set-option', '-g', 'status', 'off'],
  ['set-option', '-g', 'default-terminal', 'tmux-256color'],
  ['set-option', '-g', 'history-limit', '10000'],
];

export async function run() {
  const sessionEnv = { PS1: PROMPT, HISTFILE: '/dev/null' };
  const scratch = startScratchDaemon({
    env: sessionEnv,
    configure(home) {
      mkdirSync(join(home, 'config'), { recursive: true });
      writeFileSync(join(home, 'config', 'config.json'), JSON.stringify({ agents: { sh: { command: SHELL, prompt: 'none' } } }));
    },
  });
  const vibe = (...args) => execFileSync(vibeBin, args, { cwd: scratch.repo, env: scratch.env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const file = join(scratch.dir, 'flood.txt');
  writeFlood(file, FILE_MIB);
  const bareSocket = join(scratch.dir, 'bare.sock');
  const bareTmux = (...args) => execFileSync('tmux', ['-S', bareSocket, '-f', '/dev/null', ...args], { env: { ...scratch.env, ...sessionEnv } });
  let floor;
  try {
    // One invocation: a server started on its own exits at once (no sessions), taking the options with it.
    bareTmux('start-server', ...TMUX_OPTIONS.flatMap((command) => [';', ...command]), ';', 'new-session', '-d', '-s', 'bare', '-x', String(COLS), '-y', String(ROWS), ...SHELL);
    vibe('task', 'add', 'bench shell', '--agent', 'sh', '--start');
    const link = JSON.parse(vibe('connect', '--json', '--label', 'bench')).url;
    // The floor: pass-through processes of vibe's shape on the bare session, the least any daemon and relay cost.
    floor = await startFloor({ dir: scratch.dir, tmuxSocket: bareSocket, session: 'bare' });
    const clients = {
      tmux: { command: 'tmux', args: ['-S', bareSocket, 'attach', '-t', 'bare'] },
      ...floor.clients,
      vibe: { command: process.env.VIBE_BENCH_PROFILE ? 'node' : vibeBin, args: [...(process.env.VIBE_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', vibeBin] : []), 'attach', '1'] },
      link: { command: vibeBin, args: ['--link', link, 'attach', '1'] },
    };
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const figures = {};
      for (const [name, spec] of Object.entries(clients)) {
        if (only && !only.includes(name)) continue;
        const onBare = name === 'tmux' || name in floor.clients;
        figures[name] = await measureClient(spec, scratch, file, onBare ? bareSocket : undefined, name === 'link');
      }
      rounds.push(figures);
      process.stderr.write(`  round ${round + 1}: ${Object.entries(figures).map(([name, f]) => `${name} ${f.mibs.toFixed(1)} MiB/s`).join(', ')}\n`);
      for (const [name, f] of Object.entries(figures)) {
        process.stderr.write(`    ${name} CPU ms/MiB: ${Object.entries(f.cpu).map(([role, ms]) => `${role} ${ms.toFixed(1)}`).join(', ')}\n`);
      }
    }
    return only ? [] : rows(rounds);
  } finally {
    try {
      vibe('disconnect');
      vibe('task', 'stop', '1');
    } catch {
      // The daemon is torn down below either way.
    }
    floor?.dispose();
    execFileSync('tmux', ['-S', bareSocket, 'kill-server'], { stdio: 'ignore' });
    scratch.dispose();
  }
}

function rows(rounds) {
  const m = (pick) => median(rounds.map(pick));
  const local = m((r) => r.vibe.mibs / r.tmux.mibs);
  const relay = m((r) => r.link.mibs / r.vibe.mibs);
  const echoRatio = m((r) => r.vibe.echo.p99 / r.tmux.echo.p99);
  return [
    { name: 'bare tmux attach: cat', value: m((r) => r.tmux.mibs), unit: 'MiB/s' },
    { name: 'vibe attach (tmux-hosted): cat', value: m((r) => r.vibe.mibs), unit: 'MiB/s' },
    { name: 'vibe attach / bare tmux attach', value: local, unit: '×', target: '>= 0.9', ok: local >= 0.9 },
    { name: 'vibe --link attach (relay, encrypted): cat', value: m((r) => r.link.mibs), unit: 'MiB/s' },
    { name: 'vibe --link attach / vibe attach', value: relay, unit: '×', target: '>= 0.8', ok: relay >= 0.8 },
    { name: 'echo p50: bare tmux / vibe / link', value: m((r) => r.vibe.echo.p50), unit: `ms (tmux ${fmt(m((r) => r.tmux.echo.p50))}, link ${fmt(m((r) => r.link.echo.p50))})` },
    { name: 'echo p99, vibe attach / bare tmux attach', value: echoRatio, unit: `× (vibe ${fmt(m((r) => r.vibe.echo.p99))} ms, tmux ${fmt(m((r) => r.tmux.echo.p99))} ms)`, target: '<= 1.5', ok: echoRatio <= 1.5 },
    { name: 'echo through the relay, p50', value: m((r) => r.link.echo.p50), unit: 'ms', target: '<= 0.8', ok: m((r) => r.link.echo.p50) <= 0.8 },
    { name: 'echo through the relay, p99', value: m((r) => r.link.echo.p99), unit: 'ms', target: '<= 3', ok: m((r) => r.link.echo.p99) <= 3 },
    { name: 'floor (pass-through client + daemon): cat', value: m((r) => r.floor.mibs), unit: 'MiB/s' },
    { name: 'echo p50: floor / floor + relay', value: m((r) => r.floor.echo.p50), unit: `ms (floor + relay ${fmt(m((r) => r['floor+relay'].echo.p50))})` },
    { name: 'echo p99: floor / floor + relay', value: m((r) => r.floor.echo.p99), unit: `ms (floor + relay ${fmt(m((r) => r['floor+relay'].echo.p99))})` },
    { name: 'echo p50 above the floor: vibe / link', value: m((r) => r.vibe.echo.p50 - r.floor.echo.p50), unit: `ms (link ${fmt(m((r) => r.link.echo.p50 - r['floor+relay'].echo.p50))})` },
    { name: '^C under flood → prompt, bare tmux', value: m((r) => r.tmux.ctrlC), unit: 'ms' },
    { name: '^C under flood → prompt, vibe attach', value: m((r) => r.vibe.ctrlC), unit: 'ms', target: '<= 10', ok: m((r) => r.vibe.ctrlC) <= 10 },
    { name: '^C under flood → prompt, through the relay', value: m((r) => r.link.ctrlC), unit: 'ms', target: '<= 20', ok: m((r) => r.link.ctrlC) <= 20 },
    { name: 'RSS: bare tmux server + client', value: m((r) => r.tmux.rss), unit: 'MB' },
    { name: 'RSS: daemon + vibe attach + tmux', value: m((r) => r.vibe.rss), unit: 'MB' },
    { name: 'RSS: daemon + relay + vibe --link attach + tmux', value: m((r) => r.link.rss), unit: 'MB' },
  ];
}

const fmt = (value) => value.toFixed(2);

/** Runs one client in a pty: throughput of `cat FILE`, keystroke echo, Ctrl-C under a flood, RSS. */
async function measureClient(spec, scratch, file, bareSocket, viaRelay) {
  await quiesce(bareSocket ?? join(scratch.env.VIBE_HOME, 'run', 'tmux.sock'));
  const client = await startClient(spec, scratch);
  try {
    const groups = processGroups(client.pid, scratch, bareSocket);
    const cpuBefore = groupCpu(groups);
    const ioBefore = groupIo(groups);
    const start = nowMs();
    // The command line as echoed spells MAR""KER; only cat's end prints MARKER.
    client.write(`cat ${file}; echo MAR""KER\r`);
    await client.waitFor('MARKER', 120_000);
    const mibs = FILE_MIB / ((nowMs() - start) / 1000);
    const cpuAfter = groupCpu(groups);
    const ioAfter = groupIo(groups);
    if (only) {
      for (const name of Object.keys(groups)) {
        const [a, b] = [ioBefore[name], ioAfter[name]];
        process.stderr.write(`    ${name}: ${((b.reads - a.reads) / FILE_MIB).toFixed(0)} reads/MiB, ${((b.writes - a.writes) / FILE_MIB).toFixed(0)} writes/MiB, ${((b.written - a.written) / FILE_MIB / 1024).toFixed(0)} KiB written/MiB\n`);
      }
    }
    const cpu = Object.fromEntries(Object.keys(groups).map((name) => [name, (cpuAfter[name] - cpuBefore[name]) / FILE_MIB]));
    await client.waitFor(PROMPT, 10_000, { sinceLastMatch: true });
    const rss = sumRss(groups, viaRelay);
    const echo = await measureEcho(client);
    const ctrlC = await measureCtrlC(client);
    return { mibs, echo, ctrlC, rss, cpu };
  } finally {
    client.kill();
  }
}

/** Starts the client and waits until it shows the session's prompt. */
async function startClient(spec, scratch) {
  const client = new PtyClient(spec.command, spec.args, { ...scratch.env, TERM: 'xterm-256color' }, scratch.repo);
  try {
    // Keys typed before the client put its terminal in raw mode would be flushed (or, for ^C, signal it).
    await client.firstOutput(10_000);
    await settle(client);
    client.write('\r');
    await client.waitFor(PROMPT, 10_000);
    await settle(client);
    return client;
  } catch (error) {
    client.kill();
    throw error;
  }
}

/** Keystrokes into `cat` on the pane's tty (the kernel echoes them): write one key, time until it shows, pause. */
async function measureEcho(client) {
  client.write('cat\r');
  await sleep(300);
  const samples = [];
  for (let i = 0; i < ECHO_SAMPLES; i++) {
    if (i > 0 && i % 50 === 0) {
      client.write('\r');
      await sleep(30);
    }
    const start = nowMs();
    const seen = client.waitFor('x', 5000);
    client.write('x');
    await seen;
    samples.push(nowMs() - start);
    // 200 keys a second: faster than anyone types or a key repeats, slow enough not to read as a flood.
    await sleep(KEY_GAP_MS);
  }
  client.write('\x03');
  await client.waitFor(PROMPT, 5000);
  await settle(client);
  const sorted = samples.sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
  if (only) process.stderr.write(`    echo ms: p50 ${fmt(at(0.5))}, p90 ${fmt(at(0.9))}, p95 ${fmt(at(0.95))}, p99 ${fmt(at(0.99))}, max ${fmt(at(1))}\n`);
  return { p50: at(0.5), p99: at(0.99) };
}

/** `yes` floods; Ctrl-C; time until the prompt is back on the client's screen. */
async function measureCtrlC(client) {
  const samples = [];
  for (let i = 0; i < CTRL_C_SAMPLES; i++) {
    client.write('yes\r');
    await sleep(400);
    const start = nowMs();
    const back = client.waitFor(PROMPT, 10_000);
    client.write('\x03');
    await back;
    samples.push(nowMs() - start);
    await settle(client);
  }
  return median(samples);
}

/**
 * Interrupts whatever the session's shell may still run from the round before (a `yes` whose Ctrl-C was lost
 * leaves the next client blocked on a flooding pane), straight through tmux, and lets the pane settle.
 */
async function quiesce(socket) {
  const name = execFileSync('tmux', ['-S', socket, 'list-sessions', '-F', '#{session_name}']).toString().split('\n')[0];
  execFileSync('tmux', ['-S', socket, 'send-keys', '-t', `=${name}:`, 'C-c']);
  await sleep(300);
}

/** Waits until the client has printed nothing for a moment. */
async function settle(client, quietMs = 150) {
  const deadline = nowMs() + 5000;
  while (nowMs() - client.lastDataAt < quietMs && nowMs() < deadline) await sleep(20);
}

/** Processes by role, for the CPU profile of a `cat`: ms of CPU per MiB each role spends. */
function processGroups(clientPid, scratch, bareSocket) {
  const socket = bareSocket ?? join(scratch.env.VIBE_HOME, 'run', 'tmux.sock');
  const server = Number(execFileSync('tmux', ['-S', socket, 'display-message', '-p', '#{pid}']).toString().trim());
  const groups = { 'tmux server': [server], client: [clientPid, ...descendants(clientPid)], harness: [process.pid] };
  if (!bareSocket) {
    const children = descendants(scratch.pid);
    const comm = (pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        return undefined; // a short-lived child (the daemon's tmux poll) gone meanwhile
      }
    };
    groups.daemon = [scratch.pid];
    groups["daemon's tmux client"] = children.filter((pid) => comm(pid) === 'tmux: client' || comm(pid) === 'tmux');
    groups.relay = children.filter((pid) => comm(pid) !== undefined && !groups["daemon's tmux client"].includes(pid));
  }
  return groups;
}

/** CPU time (user + system) of each group in ms, from /proc. */
function groupCpu(groups) {
  const tick = 1000 / 100;
  const cpu = (pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      return 0;
    }
  };
  return Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids.reduce((sum, pid) => sum + cpu(pid), 0)]));
}

/** Read and write system calls of each group, from /proc/PID/io. */
function groupIo(groups) {
  const io = (pid) => {
    try {
      const text = readFileSync(`/proc/${pid}/io`, 'utf8');
      const field = (name) => Number(new RegExp(`${name}: (\\d+)`).exec(text)?.[1] ?? 0);
      return { reads: field('syscr'), writes: field('syscw'), written: field('wchar') };
    } catch {
      return { reads: 0, writes: 0, written: 0 };
    }
  };
  return Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [
      name,
      pids.map(io).reduce((a, b) => ({ reads: a.reads + b.reads, writes: a.writes + b.writes, written: a.written + b.written })),
    ]),
  );
}

/** RSS of the roles a user runs: the client, the tmux server (not the session's shell) and, for vibe, the
 * daemon with its tmux client — and the relay only when the client goes through it. */
function sumRss(groups, withRelay) {
  let total = 0;
  for (const [role, pids] of Object.entries(groups)) {
    if (role === 'harness' || (role === 'relay' && !withRelay)) continue;
    for (const pid of pids) {
      try {
        total += rssMb(pid);
      } catch {
        // Gone between listing and reading.
      }
    }
  }
  return total;
}

function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  const out = [];
  const stack = [pid];
  while (stack.length) {
    for (const child of children.get(stack.pop()) ?? []) {
      out.push(child);
      stack.push(child);
    }
  }
  return out;
}

/** Numbered lines of printable text, `mib` MiB in all. */
function writeFlood(file, mib) {
  const line = (i) => `${String(i).padStart(8, '0')} the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnop\n`;
  const lines = [];
  let size = 0;
  for (let i = 0; size < mib * 1024 * 1024; i++) {
    const text = line(i);
    lines.push(text);
    size += text.length;
  }
  writeFileSync(file, lines.join('').slice(0, mib * 1024 * 1024));
}

/** A client program in a pty: what it prints is searched for one awaited string at a time. */
class PtyClient {
  constructor(command, args, env, cwd) {
    this.proc = pty.spawn(command, args, { name: 'xterm-256color', cols: COLS, rows: ROWS, cwd, env });
    this.label = [command, ...args].join(' ');
    this.pid = this.proc.pid;
    this.rest = '';
    this.waiter = undefined;
    this.lastDataAt = nowMs();
    this.proc.onData((data) => this.onData(data));
  }

  write(text) {
    this.proc.write(text);
  }

  /** Resolves once the client has printed anything at all. */
  async firstOutput(timeoutMs) {
    const deadline = nowMs() + timeoutMs;
    while (!this.printed) {
      if (nowMs() > deadline) throw new Error(`${this.label}: printed nothing within ${timeoutMs} ms`);
      await sleep(10);
    }
  }

  /**
   * Resolves when `needle` appears in output that arrives after this call — or, with `sinceLastMatch`, in
   * output since the previous match (a prompt printed in the same chunk as the marker before it).
   */
  waitFor(needle, timeoutMs, { sinceLastMatch = false } = {}) {
    if (!sinceLastMatch) this.rest = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`${this.label}: timed out waiting for ${JSON.stringify(needle)}; last output ${JSON.stringify(this.rest.slice(-200))}`));
      }, timeoutMs);
      this.waiter = { needle, resolve: () => (clearTimeout(timer), resolve()) };
      this.match();
    });
  }

  kill() {
    try {
      this.proc.kill('SIGHUP');
    } catch {
      // Already gone.
    }
  }

  onData(data) {
    this.printed = true;
    this.lastDataAt = nowMs();
    this.rest = (this.rest + data).slice(-4096);
    this.match();
  }

  match() {
    const waiter = this.waiter;
    const at = waiter ? this.rest.indexOf(waiter.needle) : -1;
    if (at < 0) return;
    this.rest = this.rest.slice(at + waiter.needle.length);
    this.waiter = undefined;
    waiter.resolve();
  }
}
