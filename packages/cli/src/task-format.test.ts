// How tasks are printed: the `task ls` table and the `task show` detail, escaped and fitted to the terminal.
import type { Task } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { formatTaskDetail, formatTaskTable, taskName } from './task-format.js';
import { palette } from './terminal.js';

const task = (overrides: Partial<Task> = {}): Task => ({
  project: 'myapp',
  projectId: 1,
  number: 1,
  title: 'Fix the flaky login test',
  description: '',
  agent: 'claude',
  status: 'todo',
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
  ...overrides,
});

const plain = palette(false);
const ESC = /\x1b/;

describe('formatTaskTable', () => {
  it('lists ID, STATUS, AGENT and TITLE without colour when colour is off', () => {
    const lines = formatTaskTable([task(), task({ number: 12, status: 'in_progress', agent: null, title: 'Add dark mode' })], {
      colors: plain,
      showProject: false,
    });
    expect(lines).toEqual([
      'ID  STATUS       AGENT   TITLE',
      '1   todo         claude  Fix the flaky login test',
      '12  in_progress  -       Add dark mode',
    ]);
    expect(lines.join('\n')).not.toMatch(ESC);
  });

  it('adds a PROJECT column when listing every project', () => {
    const lines = formatTaskTable([task({ project: 'web' })], { colors: plain, showProject: true });
    expect(lines[0]).toBe('PROJECT  ID  STATUS  AGENT   TITLE');
    expect(lines[1]).toMatch(/^web {6}1 {3}todo/);
  });

  it('colours statuses when colour is on', () => {
    const lines = formatTaskTable([task({ status: 'done' })], { colors: palette(true), showProject: false });
    expect(lines[1]).toContain('\x1b[32mdone\x1b[39m');
  });

  it('cuts titles to the terminal width on a TTY', () => {
    const lines = formatTaskTable([task({ title: 'word '.repeat(40) })], { colors: plain, showProject: false, width: 40 });
    expect(lines[1]!.length).toBeLessThanOrEqual(40);
    expect(lines[1]!.endsWith('…')).toBe(true);
  });

  it('keeps titles whole when not on a TTY', () => {
    const title = 'word '.repeat(40).trim();
    expect(formatTaskTable([task({ title })], { colors: plain, showProject: false })[1]).toContain(title);
  });

  it('escapes control characters in titles, agents and project names', () => {
    const lines = formatTaskTable([task({ title: 'evil\x1b]52;c;aGk=\x07', project: 'p\u202e' })], { colors: plain, showProject: true });
    expect(lines[1]).toContain('evil\\x1b]52;c;aGk=\\x07');
    expect(lines[1]).toContain('p\\u202e');
    for (const line of lines) expect(line).not.toMatch(/[\x00-\x1f\u202e]/);
  });
});

describe('formatTaskDetail', () => {
  it('shows every field and the description body', () => {
    const lines = formatTaskDetail(task({ description: 'First line\n\tindented\n' }), plain);
    expect(lines).toEqual([
      '#1 Fix the flaky login test',
      'project  myapp',
      'status   todo',
      'agent    claude',
      'created  2026-01-02T03:04:05.000Z',
      'updated  2026-01-02T03:04:05.000Z',
      '',
      'First line',
      '\tindented',
    ]);
  });

  it('says when the default agent is used', () => {
    expect(formatTaskDetail(task({ agent: null }), plain)).toContain('agent    (default)');
  });

  it('escapes the description but keeps its line breaks', () => {
    const lines = formatTaskDetail(task({ description: 'a\x1b[2Jb\nc' }), plain);
    expect(lines.slice(-2)).toEqual(['a\\x1b[2Jb', 'c']);
  });
});

describe('taskName', () => {
  it('names a task PROJECT#N, escaped', () => {
    expect(taskName({ project: 'my\x1bapp', number: 4 })).toBe('my\\x1bapp#4');
  });
});
