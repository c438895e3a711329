// Resolving an agent name: built-ins, custom agents, and the clear refusals made before anything exists.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath, knownAgents, resolveAgent } from './resolve.js';
import { tempDir } from '../worktrees/temp-repo.js';

/** A PATH directory holding executables with the given names (and one non-executable `plain`). */
function binDir(...names: string[]): string {
  const dir = tempDir('vibe-bin-');
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\n');
    chmodSync(join(dir, name), 0o755);
  }
  writeFileSync(join(dir, 'plain'), 'not executable\n');
  mkdirSync(join(dir, 'adir'));
  return dir;
}

const none = { agents: {} };

describe('resolveAgent', () => {
  it('returns the built-in adapter when its program is on PATH', () => {
    const PATH = `/nonexistent:${binDir('claude', 'codex', 'gemini')}`;
    expect(resolveAgent('claude', none, { PATH }).name).toBe('claude');
    expect(resolveAgent('codex', none, { PATH }).command).toBe('codex');
    expect(resolveAgent('gemini', none, { PATH }).usesHooks).toBe(false);
    expect(resolveAgent('shell', none, { PATH, SHELL: '/bin/sh' }).command).toBe('/bin/sh');
  });

  it('refuses an unknown agent and lists the known ones, custom included', () => {
    expect(() => resolveAgent('cursor', { agents: { aider: { command: ['aider'] } } }, { PATH: '' })).toThrow(
      expect.objectContaining({ code: 'invalid_params', message: 'unknown agent "cursor"; known agents: aider, claude, codex, gemini, shell' }),
    );
  });

  it('refuses a built-in whose CLI is not on PATH, saying how to install it', () => {
    const PATH = binDir();
    expect(() => resolveAgent('codex', none, { PATH })).toThrow(
      expect.objectContaining({ code: 'invalid_params', message: 'agent "codex" needs `codex` on PATH; install it with npm i -g @openai/codex' }),
    );
    expect(() => resolveAgent('claude', none, {})).toThrow(/install it with npm i -g @anthropic-ai\/claude-code/);
    expect(() => resolveAgent('gemini', none, { PATH })).toThrow(/npm i -g @google\/gemini-cli/);
  });

  it('refuses a $SHELL that is not executable', () => {
    expect(() => resolveAgent('shell', none, { SHELL: '/nonexistent/zsh' })).toThrow(/agent "shell" needs \/nonexistent\/zsh, which is missing or not executable/);
  });

  it('resolves custom agents, which may replace a built-in of the same name', () => {
    const PATH = binDir('aider', 'claude');
    const config = { agents: { aider: { command: ['aider', '{prompt}'] }, claude: { command: ['claude', '--model', 'opus', '{prompt}'] } } };
    expect(resolveAgent('aider', config, { PATH }).command).toBe('aider');
    const replaced = resolveAgent('claude', config, { PATH });
    expect(replaced.usesHooks).toBe(false);
  });

  it('refuses a custom agent whose program is missing, naming the program', () => {
    expect(() => resolveAgent('aider', { agents: { aider: { command: ['aider'] } } }, { PATH: binDir() })).toThrow(
      expect.objectContaining({ message: 'agent "aider" needs `aider` on PATH' }),
    );
  });

  it('refuses a bad custom entry before looking at PATH', () => {
    expect(() => resolveAgent('x', { agents: { x: { command: 'x' } } }, { PATH: binDir('x') })).toThrow(/custom agent "x" in the config is invalid/);
  });

  it('does not treat inherited object keys as agents', () => {
    expect(() => resolveAgent('constructor', none, { PATH: '' })).toThrow(/unknown agent "constructor"/);
  });
});

describe('findOnPath', () => {
  it('finds executable files only, skipping relative and empty PATH entries', () => {
    const dir = binDir('tool');
    expect(findOnPath('tool', `::.:${dir}`)).toBe(join(dir, 'tool'));
    expect(findOnPath('plain', dir)).toBeUndefined();
    expect(findOnPath('adir', dir)).toBeUndefined();
    expect(findOnPath('tool', `.:relative`)).toBeUndefined();
  });
});

describe('knownAgents', () => {
  it('lists built-ins and custom agents once, sorted', () => {
    expect(knownAgents({ zed: {}, claude: {} })).toEqual(['claude', 'codex', 'gemini', 'shell', 'zed']);
  });
});
