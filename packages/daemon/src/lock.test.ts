import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonLock } from './lock.js';

// The single-daemon lock: one holder at a time, free again after release or after its holder died.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('DaemonLock', () => {
  it('is held by one owner at a time and free again once released', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibe-lock-'));
    dirs.push(dir);
    const path = join(dir, 'daemon.lock');
    const first = DaemonLock.tryAcquire(path);
    expect(first).toBeDefined();
    expect(DaemonLock.tryAcquire(path)).toBeUndefined();
    expect(existsSync(`${path}-journal`)).toBe(false);
    first!.release();
    expect(existsSync(path)).toBe(false);
    const second = DaemonLock.tryAcquire(path);
    expect(second).toBeDefined();
    second!.release();
  });

  it('takes over a lock file left behind by a dead owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibe-lock-'));
    dirs.push(dir);
    const path = join(dir, 'daemon.lock');
    // A file with nobody holding it is what kill -9 leaves: the kernel dropped the lock with the process.
    const abandoned = DaemonLock.tryAcquire(path)!;
    (abandoned as unknown as { db: { close(): void } }).db.close();
    expect(existsSync(path)).toBe(true);
    const next = DaemonLock.tryAcquire(path);
    expect(next).toBeDefined();
    next!.release();
  });
});
