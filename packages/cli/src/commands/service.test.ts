// Which vibe a service runs: the launcher a user installed, never a package manager's versioned tree.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installedVibe } from './service.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-installed-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A file at `path` (directories made), executable, with `text` in it. */
function file(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

describe('installedVibe', () => {
  it('runs the launcher this vibe was started through, with node when it is a node script', async () => {
    const main = file(join(dir, 'prefix', 'lib', 'node_modules', '@vibe', 'cli', 'dist', 'main.js'), '#!/usr/bin/env node\n');
    mkdirSync(join(dir, 'prefix', 'bin'));
    symlinkSync(main, join(dir, 'prefix', 'bin', 'vibe'));
    expect(await installedVibe(join(dir, 'prefix', 'bin', 'vibe'), '')).toEqual({ vibe: join(dir, 'prefix', 'bin', 'vibe'), script: true });
  });

  it('runs a shell shim as it is', async () => {
    const shim = file(join(dir, 'pnpm', 'vibe'), '#!/bin/sh\nexec node "$0/../x" "$@"\n');
    expect(await installedVibe(shim, '')).toEqual({ vibe: shim, script: false });
  });

  it("started from npx's cache, takes the installed vibe on PATH and passes over npx's own", async () => {
    const npxBin = join(dir, '.npm', '_npx', 'abc', 'node_modules', '.bin');
    file(join(npxBin, 'vibe'), '#!/usr/bin/env node\n');
    const installed = file(join(dir, 'prefix', 'bin', 'vibe'), '#!/usr/bin/env node\n');
    const argv1 = join(dir, '.npm', '_npx', 'abc', 'node_modules', '@vibe', 'cli', 'dist', 'main.js');
    expect(await installedVibe(argv1, `${npxBin}:${join(dir, 'prefix', 'bin')}`)).toEqual({ vibe: installed, script: true });
  });

  it('refuses when nothing but the npx copy is there: a service would point into a cache', async () => {
    const npxBin = join(dir, '.npm', '_npx', 'abc', 'node_modules', '.bin');
    file(join(npxBin, 'vibe'), '#!/usr/bin/env node\n');
    const argv1 = join(dir, '.npm', '_npx', 'abc', 'node_modules', '@vibe', 'cli', 'dist', 'main.js');
    await expect(installedVibe(argv1, npxBin)).rejects.toThrow(/which the next upgrade or cache clean removes: install vibe \(npm i -g @vibe\/cli\)/);
  });

  it('refuses a vibe on PATH that is a link into a package tree, like npx leaves', async () => {
    const inCache = file(join(dir, '.npm', '_npx', 'abc', 'node_modules', '@vibe', 'cli', 'dist', 'main.js'), '#!/usr/bin/env node\n');
    mkdirSync(join(dir, 'links'));
    symlinkSync(inCache, join(dir, 'links', 'vibe'));
    await expect(installedVibe(inCache, join(dir, 'links'))).rejects.toThrow(/npm i -g @vibe\/cli/);
  });
});
