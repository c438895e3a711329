// Health of the machine the daemon runs on, for `vibe status`: CPU, memory, disk of the data dir, uptime.
import { statfsSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os';
import type { DaemonStatus } from '@vibe/protocol';

export function machineStatus(dataDir: string): DaemonStatus['machine'] {
  let disk: { total: number; free: number } | undefined;
  try {
    const stats = statfsSync(dataDir);
    disk = { total: stats.blocks * stats.bsize, free: stats.bavail * stats.bsize };
  } catch {
    disk = undefined;
  }
  const [one, five, fifteen] = loadavg();
  return {
    cpus: cpus().length || 1,
    loadAverage: [one ?? 0, five ?? 0, fifteen ?? 0],
    memoryTotalBytes: totalmem(),
    memoryFreeBytes: freemem(),
    diskTotalBytes: disk?.total ?? null,
    diskFreeBytes: disk?.free ?? null,
    uptimeSeconds: Math.round(uptime()),
  };
}
