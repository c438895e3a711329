// tmux argv building: exact command lines, literal arguments, refused specs, parsed answers.
import { describe, expect, it } from 'vitest';
import {
  buildTmuxSnapshot,
  formatLiteral,
  newSessionCommand,
  parsePaneList,
  tmuxArg,
  tmuxCommands,
  validateLaunchSpec,
  LaunchSpecError,
} from './tmux-commands.js';
import type { LaunchSpec } from './types.js';

const spec = (patch: Partial<LaunchSpec> = {}): LaunchSpec => ({
  name: 'vibe_7',
  cwd: '/work/trees/#(touch pwned)',
  argv: ['claude', '--prompt', 'fix it; rm -rf /', '$(id)', 'end;'],
  env: { VIBE_SESSION: '7', NOTE: 'a;' },
  cols: 120,
  rows: 36,
  ...patch,
});

describe('tmux command lines', () => {
  it('starts a session with every argument literal, behind the constant exec wrapper', () => {
    expect(tmuxCommands('/run/vibe/tmux.sock', [['set-option', '-g', 'status', 'off'], newSessionCommand(spec())])).toEqual([
      '-S', '/run/vibe/tmux.sock', '-f', '/dev/null',
      'set-option', '-g', 'status', 'off',
      ';',
      'new-session', '-d', '-s', 'vibe_7', '-x', '120', '-y', '36',
      '-c', '/work/trees/##(touch pwned)',
      '-e', 'VIBE_SESSION=7', '-e', 'NOTE=a\\;',
      '-P', '-F', '#{pane_pid}',
      '--', '/bin/sh', '-c', 'exec "$@"', 'vibe-session',
      'claude', '--prompt', 'fix it; rm -rf /', '$(id)', 'end\\;',
    ]);
  });

  it('escapes only a trailing semicolon, which tmux would read as the end of the command', () => {
    expect(tmuxArg('a;')).toBe('a\\;');
    expect(tmuxArg(';')).toBe('\\;');
    expect(tmuxArg('a\\;')).toBe('a\\\\;');
    expect(tmuxArg(';rm -rf')).toBe(';rm -rf');
    expect(tmuxArg('plain')).toBe('plain');
  });

  it('doubles # where tmux expands formats', () => {
    expect(formatLiteral('/a/#{pane_id}/#(id)')).toBe('/a/##{pane_id}/##(id)');
  });

  it('refuses specs that cannot pass through argv exactly', () => {
    const refused = (patch: Partial<LaunchSpec>): void => expect(() => validateLaunchSpec(spec(patch))).toThrow(LaunchSpecError);
    refused({ name: 'vibe 1' });
    refused({ name: 'vibe:1' });
    refused({ cwd: 'relative' });
    refused({ argv: [] });
    refused({ argv: ['-x'] });
    refused({ argv: ['ok', 'nul\0byte'] });
    refused({ env: { 'BAD-NAME': 'x' } });
    refused({ cols: 1 });
    refused({ rows: 501 });
    expect(() => validateLaunchSpec(spec())).not.toThrow();
  });

  it('parses list-panes lines: exit status, killing signal, or neither yet', () => {
    const panes = parsePaneList('vibe_1 0   100\nvibe_2 1 3  101\nvibe_3 1  9 102\nvibe_4 1   103\n');
    expect(panes.get('vibe_1')).toEqual({ dead: false, status: null, signal: null, pid: 100 });
    expect(panes.get('vibe_2')).toEqual({ dead: true, status: 3, signal: null, pid: 101 });
    expect(panes.get('vibe_3')).toEqual({ dead: true, status: null, signal: 9, pid: 102 });
    expect(panes.get('vibe_4')).toEqual({ dead: true, status: null, signal: null, pid: 103 });
  });

  it('builds a repaint from a capture: cleared screen, lines joined by CRLF, cursor placed', () => {
    const out = buildTmuxSnapshot('$ echo hi\nhi\n$ \n\n\n4 2 1\n');
    expect(out).toBe('\x1b[?1049h\x1b[r\x1b[0m\x1b[H\x1b[2J$ echo hi\r\nhi\r\n$ \x1b[0m\x1b[3;5H\x1b[?25h');
  });
});
