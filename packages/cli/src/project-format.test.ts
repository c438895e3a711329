// How `project ls` and `project set` print projects and their settings.
import type { Project } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { formatProjectDetail, formatProjectTable } from './project-format.js';
import { palette } from './terminal.js';

const plain = palette(false);

const project = (overrides: Partial<Project> = {}, settings: Partial<Project['settings']> = {}): Project => ({
  id: 1,
  name: 'myapp',
  path: '/src/myapp',
  baseBranch: 'main',
  createdAt: '2026-01-02T03:04:05.000Z',
  settings: { setup: null, instructions: null, maxSessions: 8, ...settings },
  ...overrides,
});

describe('formatProjectTable', () => {
  it('shows name, base branch, max sessions, instructions, path and setup', () => {
    const lines = formatProjectTable(
      [project(), project({ name: 'web', path: '/src/web', baseBranch: 'develop' }, { setup: 'npm ci', instructions: 'Use pnpm.\nNo new deps.\n', maxSessions: 3 })],
      { colors: plain },
    );
    expect(lines).toEqual([
      'NAME   BASE     MAX  INSTRUCTIONS  PATH        SETUP',
      'myapp  main       8  -             /src/myapp  -',
      'web    develop    3  2 lines       /src/web    npm ci',
    ]);
  });

  it('shows dashes for the settings an older daemon does not send', () => {
    const lines = formatProjectTable([{ ...project(), settings: undefined }], { colors: plain });
    expect(lines[1]).toBe('myapp  main    -  -             /src/myapp  -');
    expect(formatProjectDetail({ ...project(), settings: undefined }, plain)).toEqual(['myapp /src/myapp', 'base branch  main']);
  });

  it('escapes setup commands and names', () => {
    const lines = formatProjectTable([project({ name: 'a\u202e' }, { setup: 'echo \x1b[2J' })], { colors: plain });
    for (const line of lines) expect(line).not.toMatch(/[\x00-\x1f\u202e]/);
    expect(lines[1]).toContain('echo \\x1b[2J');
  });
});

describe('formatProjectDetail', () => {
  it('shows every setting and the instructions in full', () => {
    expect(formatProjectDetail(project({}, { setup: 'npm ci', instructions: 'Use pnpm.\n\tNo new deps.\n' }), plain)).toEqual([
      'myapp /src/myapp',
      'base branch  main',
      'max sessions 8',
      'setup        npm ci',
      'instructions 2 lines',
      '',
      'Use pnpm.',
      '\tNo new deps.',
    ]);
  });

  it('says when there is no setup and no instructions', () => {
    const lines = formatProjectDetail(project(), plain);
    expect(lines.slice(3)).toEqual(['setup        (none)', 'instructions (none)']);
  });
});
