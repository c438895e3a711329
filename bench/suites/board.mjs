// Board figures: the first frame of `vibe board` with 200 tasks, and how soon a task created elsewhere is on
// screen. The board runs in a tmux server of the bench's own; its screen is read with capture-pane.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { median, nowMs, sleep, startScratchDaemon, vibeBin } from '../lib.mjs';

const TASKS = 200;
const RUNS = Number(process.env.BENCH_BOARD_RUNS) || 7;

export async function run() {
  const daemon = startScratchDaemon();
  const socket = join(daemon.dir, 'bench-tmux.sock');
  const tmux = (...args) => execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { env: daemon.env, encoding: 'utf8' });
  try {
    await addTasks(daemon, TASKS);
    const header = `vibe board · benchrepo · ${TASKS} tasks`;
    // A session that outlives the others: a tmux server whose last session ends exits, racing the next new-session.
    tmux('new-session', '-d', '-s', 'keep', 'sleep', '3600');
    const firstFrames = [];
    for (let i = 0; i < RUNS; i++) {
      const name = `b${i}`;
      const start = nowMs();
      tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', '-c', daemon.repo, vibeBin, 'board');
      firstFrames.push((await waitForText(tmux, name, header, start)) - start);
      tmux('kill-session', '-t', `=${name}:`);
    }
    tmux('new-session', '-d', '-s', 'live', '-x', '120', '-y', '40', '-c', daemon.repo, vibeBin, 'board');
    await waitForText(tmux, 'live', header, nowMs());
    // Created tasks land in todo, far down the column: the header's count is what changes on screen.
    const latencies = [];
    for (let i = 0; i < RUNS; i++) {
      const expected = `vibe board · benchrepo · ${TASKS + i + 1} tasks`;
      const created = await addTask(daemon, `event ${i}`);
      latencies.push((await waitForText(tmux, 'live', expected, created)) - created);
    }
    const first = median(firstFrames);
    const event = median(latencies);
    return [
      { name: `board first frame, ${TASKS} tasks (spawn → header on screen, median of ${RUNS})`, value: first, unit: 'ms', target: '<= 400', ok: first <= 400 },
      // Timed from the exit of the `vibe task add` that created it: the daemon sent the event just before answering.
      { name: 'task created elsewhere → on the board (median)', value: event, unit: 'ms', target: '<= 100', ok: event <= 100 },
    ];
  } finally {
    spawnSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore' });
    daemon.dispose();
  }
}

/** Resolves with the time the text was first seen on the pane (polled every 2 ms). */
async function waitForText(tmux, name, text, since) {
  for (;;) {
    const screen = tmux('capture-pane', '-p', '-t', `=${name}:`);
    if (screen.includes(text)) return nowMs();
    if (nowMs() - since > 10_000) throw new Error(`bench board: "${text}" never appeared; the screen:\n${screen}`);
    await sleep(2);
  }
}

/** Resolves with the time `vibe task add` exited. */
function addTask(daemon, title) {
  return new Promise((resolve, reject) => {
    const child = spawn(vibeBin, ['task', 'add', title], { cwd: daemon.repo, env: daemon.env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(nowMs()) : reject(new Error(`vibe task add exited ${code}`))));
  });
}

async function addTasks(daemon, count) {
  for (let done = 0; done < count; done += 20) {
    await Promise.all(Array.from({ length: Math.min(20, count - done) }, (_, i) => addTask(daemon, `Bench task ${done + i + 1} with a title long enough to be cut`)));
  }
}
