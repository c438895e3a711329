import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SOCKET_PATH_MAX } from '@vibe/protocol/node';
import { checkSocketPath, ensurePrivateDir } from './secure-dir.js';

// Private directories and socket paths: what the daemon accepts and what it refuses to start with.

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vibe-dir-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ensurePrivateDir', () => {
  it('creates missing directories with mode 0700', () => {
    const path = join(scratch(), 'a', 'run');
    ensurePrivateDir(path);
    expect(statSync(path).mode & 0o777).toBe(0o700);
  });

  it('refuses a world-writable directory and names it', () => {
    const path = join(scratch(), 'run');
    mkdirSync(path);
    chmodSync(path, 0o777);
    expect(() => ensurePrivateDir(path)).toThrow(new RegExp(`${path} has mode 777`));
    expect(statSync(path).mode & 0o777).toBe(0o777);
  });

  it('refuses a group-readable directory', () => {
    const path = join(scratch(), 'run');
    mkdirSync(path, { mode: 0o750 });
    chmodSync(path, 0o750);
    expect(() => ensurePrivateDir(path)).toThrow(/must be private/);
  });

  it('refuses a symlink in place of the directory', () => {
    const base = scratch();
    const target = join(base, 'elsewhere');
    mkdirSync(target, { mode: 0o700 });
    symlinkSync(target, join(base, 'run'));
    expect(() => ensurePrivateDir(join(base, 'run'))).toThrow(/not a directory/);
  });

  // Handing a directory to another user needs root; as anyone else the case cannot be set up.
  it.skipIf(process.getuid?.() !== 0)('refuses a directory owned by someone else', () => {
    const path = join(scratch(), 'run');
    mkdirSync(path, { mode: 0o700 });
    chownSync(path, 4242, 4242);
    expect(() => ensurePrivateDir(path)).toThrow(/owned by uid 4242/);
  });
});

describe('checkSocketPath', () => {
  it('accepts a path at the limit and refuses one past it', () => {
    expect(() => checkSocketPath(`/${'s'.repeat(SOCKET_PATH_MAX - 1)}`)).not.toThrow();
    expect(() => checkSocketPath(`/${'s'.repeat(SOCKET_PATH_MAX)}`)).toThrow(/over the OS limit/);
  });
});
