// Foundation figures: CLI start-up against bare Node, socket request rate against raw SQLite, idle RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, nowMs, root, rssMb, sleep, startScratchDaemon, timeCommand, vibeBin } from '../lib.mjs';

const require = createRequire(join(root, 'packages', 'daemon', 'package.json'));
const TASKS = 1000;
const STARTUP_RUNS = 21;

export async function run() {
  const scratch = startScratchDaemon();
  try {
    await sleep(1000);
    const idleRss = rssMb(scratch.pid);
    const addRate = await socketAddRate(scratch.socket);
    const rawRate = rawInsertRate();
    const { nodeMs, lsMs } = startupTimes(scratch);
    await sleep(1500);
    const loadedRss = rssMb(scratch.pid);
    return [
      { name: `task ls --json (${TASKS} tasks), median`, value: lsMs, unit: 'ms' },
      { name: 'node -e 0, median', value: nodeMs, unit: 'ms' },
      { name: 'task ls / node -e 0', value: lsMs / nodeMs, unit: 'x', target: '<= 2.5', ok: lsMs / nodeMs <= 2.5 },
      { name: `task.create over the socket (${TASKS} sequential)`, value: addRate, unit: '/s', target: '>= 1000', ok: addRate >= 1000 },
      { name: 'raw better-sqlite3 insert, same pragmas', value: rawRate, unit: '/s' },
      { name: 'socket / raw insert rate', value: addRate / rawRate, unit: 'x' },
      { name: 'daemon RSS, idle after start', value: idleRss, unit: 'MB', target: '<= 80', ok: idleRss <= 80 },
      { name: `daemon RSS, idle after ${TASKS} tasks`, value: loadedRss, unit: 'MB', target: '<= 80', ok: loadedRss <= 80 },
    ];
  } finally {
    scratch.dispose();
  }
}

async function socketAddRate(socket) {
  const { connectToDaemon } = await import(join(root, 'packages', 'protocol', 'dist', 'node', 'index.js'));
  const { client } = await connectToDaemon(socket, { client: { name: 'bench', version: '0' } });
  const start = nowMs();
  for (let i = 0; i < TASKS; i++) await client.request('task.create', { project: 'benchrepo', title: `bench task ${i}` });
  const elapsed = nowMs() - start;
  client.close();
  return (TASKS / elapsed) * 1000;
}

/** The same pragmas as the store, one row per immediate transaction: the ceiling for one request. */
function rawInsertRate() {
  const Database = require('better-sqlite3');
  const dir = mkdtempSync(join(tmpdir(), 'vibe-bench-raw-'));
  try {
    const db = new Database(join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT NOT NULL, created_at TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (title, created_at) VALUES (?, ?)');
    const add = db.transaction((i) => insert.run(`bench task ${i}`, new Date().toISOString()));
    const start = nowMs();
    for (let i = 0; i < TASKS; i++) add.immediate(i);
    const elapsed = nowMs() - start;
    db.close();
    return (TASKS / elapsed) * 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Interleaves the two commands so drift in machine load hits both alike. */
function startupTimes(scratch) {
  const node = [];
  const ls = [];
  const options = { cwd: scratch.repo, env: scratch.env };
  timeCommand(vibeBin, ['task', 'ls', '--json'], options); // warm the page cache
  for (let i = 0; i < STARTUP_RUNS; i++) {
    node.push(timeCommand(process.execPath, ['-e', '0'], options));
    ls.push(timeCommand(vibeBin, ['task', 'ls', '--json'], options));
  }
  return { nodeMs: median(node), lsMs: median(ls) };
}
