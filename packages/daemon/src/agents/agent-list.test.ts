// The agent list of daemon.status: built-ins and custom agents, each with whether task.start could run it.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAgents } from './agent-list.js';
import { tempDir } from '../worktrees/temp-repo.js';

/** A PATH directory holding an executable for each name. */
function binDir(...names: string[]): string {
  const dir = tempDir('vibe-bin-');
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('listAgents', () => {
  it('lists every built-in, available when its program is on PATH', () => {
    expect(listAgents({ agents: {} }, { PATH: binDir('codex'), SHELL: '/bin/sh' })).toEqual([
      { name: 'claude', builtin: true, available: false },
      { name: 'codex', builtin: true, available: true },
      { name: 'gemini', builtin: true, available: false },
      { name: 'shell', builtin: true, available: true },
    ]);
  });

  it('marks config agents not built in, a replaced built-in included, sorted among the rest', () => {
    const config = {
      agents: {
        aider: { command: ['aider'] },
        claude: { command: ['/nonexistent/claude'] },
        local: { command: ['./bin/agent'] },
        broken: { command: 'aider' },
      },
    };
    expect(listAgents(config, { PATH: binDir('aider', 'claude'), SHELL: '/nonexistent/zsh' })).toEqual([
      { name: 'aider', builtin: false, available: true },
      // An invalid entry is listed, so the form can show it, but task.start would refuse it.
      { name: 'broken', builtin: false, available: false },
      // The config's absolute path is what runs, not the claude on PATH.
      { name: 'claude', builtin: false, available: false },
      { name: 'codex', builtin: true, available: false },
      { name: 'gemini', builtin: true, available: false },
      // Found in the worktree once one exists.
      { name: 'local', builtin: false, available: true },
      { name: 'shell', builtin: true, available: false },
    ]);
  });
});
