// kill -9 of the daemon in the middle of 500 task transitions: the database stays whole and consistent.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { TASK_STATUSES, TASK_TRANSITIONS, type TaskStatus } from '@vibe/protocol';
import { connectToDaemon } from '@vibe/protocol/node';
import { isAlive, Sandbox, waitFor } from './harness.js';

let sandbox: Sandbox;
afterEach(async () => {
  await sandbox.dispose();
});

const CYCLE: Record<TaskStatus, TaskStatus> = {
  todo: 'in_progress',
  in_progress: 'in_review',
  in_review: 'todo',
  done: 'done',
  cancelled: 'todo',
};

it('keeps the database intact and every task legal when killed mid-way through 500 transitions', async () => {
  sandbox = new Sandbox();
  const repo = sandbox.repo();
  expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
  const status = await sandbox.json<{ pid: number; socketPath: string; paths: { database: string } }>(['status'], { cwd: repo });
  const { client } = await connectToDaemon(status.socketPath, { client: { name: 'crash-test', version: '0' } });
  const TASKS = 10;
  for (let i = 0; i < TASKS; i++) await client.request('task.create', { project: 'app', title: `task ${i}` });

  const current = new Map<number, TaskStatus>(Array.from({ length: TASKS }, (_, i) => [i + 1, 'todo'] as const));
  let acknowledged = 0;
  const inFlight = new Set<Promise<unknown>>();
  const WINDOW = 8;
  // Keep a few moves in the daemon's hands at every moment and kill it at a point chosen in advance, so the
  // kill lands mid-stream however fast the disk is.
  const killAt = 150 + Math.floor(Math.random() * 200);
  for (let i = 0; i < 500; i++) {
    const number = (i % TASKS) + 1;
    const to = CYCLE[current.get(number)!];
    current.set(number, to);
    const request = client.request('task.move', { project: 'app', number, status: to }).then(() => acknowledged++);
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request)).catch(() => undefined);
    if (i === killAt) {
      process.kill(status.pid, 'SIGKILL');
      break;
    }
    if (inFlight.size >= WINDOW) await Promise.race(inFlight);
  }
  await Promise.allSettled([...inFlight]);
  await waitFor(() => !isAlive(status.pid), 5000, 'daemon to die');
  expect(acknowledged).toBeGreaterThanOrEqual(killAt - WINDOW);
  expect(acknowledged).toBeLessThanOrEqual(killAt);

  const db = new Database(status.paths.database, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const tasks = db.prepare('SELECT number, status FROM tasks ORDER BY number').all() as Array<{ number: number; status: TaskStatus }>;
    expect(tasks).toHaveLength(TASKS);
    const moves = db
      .prepare("SELECT task_number AS number, data FROM events WHERE name = 'task.moved' ORDER BY seq")
      .all() as Array<{ number: number; data: string }>;
    // Every acknowledged write is durable (synchronous=FULL), and nothing unacknowledged beyond what was sent.
    expect(moves.length).toBeGreaterThanOrEqual(acknowledged);
    const replayed = new Map<number, TaskStatus>(tasks.map((task) => [task.number, 'todo']));
    for (const move of moves) {
      const { task, from } = JSON.parse(move.data) as { task: { status: TaskStatus }; from: TaskStatus };
      expect(replayed.get(move.number)).toBe(from);
      expect(TASK_TRANSITIONS[from]).toContain(task.status);
      replayed.set(move.number, task.status);
    }
    for (const task of tasks) {
      expect(TASK_STATUSES).toContain(task.status);
      // The row and the event log agree: no change landed without its event or the other way round.
      expect(task.status).toBe(replayed.get(task.number));
    }
  } finally {
    db.close();
  }

  const up = await sandbox.vibe(['up'], { cwd: repo });
  expect(up.code, up.stderr).toBe(0);
  const listed = await sandbox.json<{ tasks: unknown[] }>(['task', 'ls'], { cwd: repo });
  expect(listed.tasks).toHaveLength(TASKS);
});
