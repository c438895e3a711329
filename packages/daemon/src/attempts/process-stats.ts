// CPU and memory of session process trees, read with one `ps` call for all of them.
import { execFile } from 'node:child_process';

export interface ProcessStats {
  cpuPercent: number | null;
  memoryBytes: number | null;
}

interface Row {
  pid: number;
  ppid: number;
  cpu: number;
  rssKb: number;
}

/** Sums each root pid's whole tree (the runner, the agent and whatever the agent started). */
export async function treeStats(roots: readonly number[]): Promise<Map<number, ProcessStats>> {
  const stats = new Map<number, ProcessStats>();
  if (roots.length === 0) return stats;
  const rows = await listProcesses().catch(() => [] as Row[]);
  const children = new Map<number, Row[]>();
  for (const row of rows) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  const byPid = new Map(rows.map((row) => [row.pid, row]));
  for (const root of roots) {
    const top = byPid.get(root);
    if (!top) {
      stats.set(root, { cpuPercent: null, memoryBytes: null });
      continue;
    }
    let cpu = 0;
    let rss = 0;
    const queue = [top];
    for (let row = queue.pop(); row; row = queue.pop()) {
      cpu += row.cpu;
      rss += row.rssKb;
      queue.push(...(children.get(row.pid) ?? []));
    }
    stats.set(root, { cpuPercent: Math.round(cpu * 10) / 10, memoryBytes: rss * 1024 });
  }
  return stats;
}

function listProcesses(): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-e', '-o', 'pid=,ppid=,pcpu=,rss='], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      resolve(
        stdout
          .split('\n')
          .map((line) => line.trim().split(/\s+/).map(Number))
          .filter((cols) => cols.length === 4 && cols.every((n) => Number.isFinite(n)))
          .map(([pid, ppid, cpu, rssKb]) => ({ pid: pid!, ppid: ppid!, cpu: cpu!, rssKb: rssKb! })),
      );
    });
  });
}

/** CPU and memory of each session's process tree, keyed by session id; nulls once a session has no pid. */
export async function sessionStats(sessions: ReadonlyArray<{ id: number; pid: number | null }>): Promise<Map<number, ProcessStats>> {
  const pids = sessions.map((session) => session.pid).filter((pid): pid is number => pid !== null);
  const byPid = await treeStats(pids);
  const stats = new Map<number, ProcessStats>();
  for (const session of sessions) {
    stats.set(session.id, (session.pid !== null && byPid.get(session.pid)) || { cpuPercent: null, memoryBytes: null });
  }
  return stats;
}
