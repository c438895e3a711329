// TmuxHost against a fake runner and pty: the exact tmux command lines, signals and exit handling.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PtyOptions, PtyProcess, RunResult } from './processes.js';
import { TmuxHost } from './tmux-host.js';
import { UNREAD_SCRIPT } from './tty-probe.js';

interface Call {
  file: string;
  args: string[];
}

function fakes(answer: (args: string[]) => Partial<RunResult> = () => ({})) {
  const calls: Call[] = [];
  const spawns: { file: string; args: string[]; options: PtyOptions; pty: FakePty }[] = [];
  const signals: [number, string][] = [];
  return {
    calls,
    spawns,
    signals,
    run: async (file: string, args: readonly string[]): Promise<RunResult> => {
      calls.push({ file, args: [...args] });
      return { code: 0, stdout: '', stderr: '', ...answer([...args]) };
    },
    spawnPty: (file: string, args: readonly string[], options: PtyOptions): PtyProcess => {
      const pty = new FakePty();
      spawns.push({ file, args: [...args], options, pty });
      return pty;
    },
    signal: (pid: number, signal: string) => void signals.push([pid, signal]),
  };
}

class FakePty implements PtyProcess {
  pid = 900;
  ptsName = '/dev/pts/9';
  killed: string[] = [];
  written: (string | Uint8Array)[] = [];
  sizes: [number, number][] = [];
  private exitListener: ((event: { exitCode: number }) => void) | undefined;
  onData() {
    return { dispose() {} };
  }
  onExit(listener: (event: { exitCode: number }) => void) {
    this.exitListener = listener;
    return { dispose: () => (this.exitListener = undefined) };
  }
  write(data: string | Uint8Array) {
    this.written.push(data);
  }
  pendingWrite() {
    return 0;
  }
  resize(cols: number, rows: number) {
    this.sizes.push([cols, rows]);
  }
  kill(signal?: string) {
    this.killed.push(signal ?? 'SIGHUP');
  }
  end() {
    this.exitListener?.({ exitCode: 0 });
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-argv-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const base = (): string[] => ['-S', join(dir, 'tmux.sock'), '-f', '/dev/null'];

describe('TmuxHost command lines', () => {
  it('creates the session with options first in one tmux call, then attaches a pty to it', async () => {
    const f = fakes((args) => (args.includes('new-session') ? { stdout: '4321\n' } : {}));
    const host = new TmuxHost({ socketDir: dir, run: f.run, spawnPty: f.spawnPty, signal: f.signal, defaultTerminal: 'tmux-256color', historyLimit: 1000, pollMs: 60_000 });
    const terminal = await host.start({ name: 'vibe_3', cwd: dir, argv: ['agent', 'x;'], env: { K: 'v' }, cols: 90, rows: 30 });

    expect(f.calls).toHaveLength(1);
    const args = f.calls[0]!.args;
    expect(f.calls[0]!.file).toBe('tmux');
    expect(args.slice(0, 4)).toEqual(base());
    const commands = args.slice(4).join(' ').split(' ; ');
    expect(commands).toContain('set-option -g history-limit 1000');
    expect(commands).toContain('set-option -g default-terminal tmux-256color');
    expect(commands).toContain('set-option -g remain-on-exit on');
    expect(commands).toContain('set-option -g prefix None');
    expect(commands.slice(-2)).toEqual(['unbind-key -q -a -T prefix', 'unbind-key -q -a -T root']);
    expect(commands).toContain('set-option -s escape-time 0');
    expect(commands).toContain('set-option -g window-size latest');
    expect(commands).toContain('set-option -g status off');
    expect(args.slice(args.indexOf('new-session'), args.indexOf('unbind-key') - 1)).toEqual([
      'new-session', '-d', '-s', 'vibe_3', '-x', '90', '-y', '30', '-c', dir, '-e', 'K=v', '-P', '-F', '#{pane_pid}',
      '--', '/bin/sh', '-c', 'exec "$@"', 'vibe-session', 'agent', 'x\\;',
    ]);
    expect(f.spawns).toHaveLength(1);
    expect(f.spawns[0]!.file).toBe('tmux');
    expect(f.spawns[0]!.args).toEqual([...base(), '-u', 'attach-session', '-t', '=vibe_3']);
    expect(f.spawns[0]!.options).toMatchObject({ cols: 90, rows: 30, term: 'xterm-256color' });
    expect(f.spawns[0]!.options.env.TMUX).toBeUndefined();
    expect(terminal.pid()).toBe(4321);

    terminal.write('hi');
    terminal.resize(100, 40);
    expect(f.spawns[0]!.pty.written).toEqual(['hi']);
    expect(f.spawns[0]!.pty.sizes).toEqual([[100, 40]]);
  });

  it('snapshots with capture-pane and the cursor in one call, then refreshes its own client', async () => {
    const f = fakes((args) => {
      if (args.includes('new-session')) return { stdout: '77\n' };
      if (args.includes('capture-pane')) return { stdout: 'hello\n\n1 0 1\n' };
      return {};
    });
    const host = new TmuxHost({ socketDir: dir, run: f.run, spawnPty: f.spawnPty, signal: f.signal, defaultTerminal: 'screen-256color', pollMs: 60_000 });
    const terminal = await host.start({ name: 'vibe_1', cwd: dir, argv: ['sh'], env: {}, cols: 80, rows: 24 });
    const snapshot = new TextDecoder().decode(await terminal.snapshot(() => new Uint8Array()));
    expect(snapshot).toContain('hello\x1b[0m\x1b[1;2H');
    expect(f.calls[1]!.args).toEqual([...base(), 'capture-pane', '-p', '-e', '-J', '-t', '=vibe_1:', ';', 'display-message', '-p', '-t', '=vibe_1:', '#{cursor_x} #{cursor_y} #{cursor_flag}']);
    expect(f.calls[2]!.args).toEqual([...base(), 'refresh-client', '-t', '/dev/pts/9']);
  });

  it('stops with SIGTERM to the process group, SIGKILL after the grace period, then kill-session', async () => {
    const f = fakes((args) => {
      if (args.includes('new-session')) return { stdout: '555\n' };
      if (args.includes('list-panes')) return { stdout: 'vibe_2 0   555\n' };
      return {};
    });
    const host = new TmuxHost({ socketDir: dir, run: f.run, spawnPty: f.spawnPty, signal: f.signal, defaultTerminal: 'screen-256color', pollMs: 60_000 });
    const terminal = await host.start({ name: 'vibe_2', cwd: dir, argv: ['sh'], env: {}, cols: 80, rows: 24 });
    const codes: (number | null)[] = [];
    terminal.onExit((code) => codes.push(code));
    await terminal.stop(150);
    expect(f.signals).toEqual([
      [-555, 'SIGTERM'],
      [-555, 'SIGKILL'],
    ]);
    expect(f.calls.at(-1)!.args).toEqual([...base(), 'kill-session', '-t', '=vibe_2']);
    expect(f.spawns[0]!.pty.killed).toEqual(['SIGHUP']);
    expect(codes).toEqual([null]);
    expect(terminal.pid()).toBeUndefined();
  });

  it('reports the exit status of a dead pane from one list-panes call for all sessions', async () => {
    let listing = 'vibe_1 0   11\nvibe_2 0   12\n';
    const f = fakes((args) => {
      if (args.includes('new-session')) return { stdout: args.includes('vibe_1') ? '11\n' : '12\n' };
      if (args.includes('list-panes')) return { stdout: listing };
      return {};
    });
    const host = new TmuxHost({ socketDir: dir, run: f.run, spawnPty: f.spawnPty, signal: f.signal, defaultTerminal: 'screen-256color', pollMs: 60_000, reapDelayMs: 0 });
    const one = await host.start({ name: 'vibe_1', cwd: dir, argv: ['sh'], env: {}, cols: 80, rows: 24 });
    const two = await host.start({ name: 'vibe_2', cwd: dir, argv: ['sh'], env: {}, cols: 80, rows: 24 });
    const exits: string[] = [];
    one.onExit((code) => exits.push(`one:${code}`));
    two.onExit((code) => exits.push(`two:${code}`));
    await host.pollNow();
    expect(exits).toEqual([]);
    listing = 'vibe_1 1   11\n'; // dead, but tmux has not reaped it yet: wait for the status
    await host.pollNow();
    expect(exits).toEqual(['two:null']);
    listing = 'vibe_1 1 3  11\n';
    await host.pollNow();
    expect(exits).toEqual(['two:null', 'one:3']);
    // The poll after an unreaped pane first runs a trivial job, whose exit makes tmux reap the pane.
    expect(f.calls.filter((call) => call.args.includes('list-panes')).at(-1)!.args.slice(4)).toEqual([
      'run-shell', 'true', ';', 'list-panes', '-a', '-F', '#{session_name} #{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pane_pid}',
    ]);
    const polls = f.calls.filter((call) => call.args.includes('list-panes')).map((call) => call.args.slice(4));
    expect(polls).toHaveLength(3);
    for (const poll of polls) expect(poll.slice(-4)).toEqual(['list-panes', '-a', '-F', '#{session_name} #{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pane_pid}']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(f.calls.filter((call) => call.args.includes('kill-session')).map((call) => call.args.at(-1))).toEqual(['=vibe_2', '=vibe_1']);
  });

  it('reads screens for the heuristics in the poll call, fenced by a random line the screen cannot forge', async () => {
    let fence = '';
    const f = fakes((args) => {
      if (args.includes('new-session')) return { stdout: args.includes('vibe_1') ? '1\n' : '2\n' };
      if (args.includes('list-panes')) {
        fence = args[args.indexOf('display-message') + 2]!;
        return { stdout: `vibe_1 0   1\nvibe_2 0   2\n${fence}\nscreen one\n${fence}\nscreen two\n` };
      }
      return {};
    });
    const host = new TmuxHost({ socketDir: dir, run: f.run, spawnPty: f.spawnPty, signal: f.signal, defaultTerminal: 'screen-256color', pollMs: 60_000 });
    const one = await host.start({ name: 'vibe_1', cwd: dir, argv: ['sh'], env: {}, cols: 80, rows: 24 });
    const two = await host.start({ name: 'vibe_2', cwd: dir, argv: ['sh'], env: {}, cols: 80, rows: 24 });
    const screens = Promise.all([one.screenText(), two.screenText()]);
    await host.pollNow();
    expect(await screens).toEqual(['screen one\n', 'screen two\n']);
    expect(fence).toMatch(/^[0-9a-f]{32}$/);
    expect(f.calls.at(-1)!.args.slice(4)).toEqual([
      'list-panes', '-a', '-F', '#{session_name} #{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pane_pid}',
      ';', 'display-message', '-p', fence, ';', 'capture-pane', '-p', '-J', '-t', '=vibe_1:',
      ';', 'display-message', '-p', fence, ';', 'capture-pane', '-p', '-J', '-t', '=vibe_2:',
    ]);
    expect(f.calls.filter((call) => call.args.includes('capture-pane'))).toHaveLength(1);
  });

  it('ignores a poll that began before the session existed', async () => {
    let release: (() => void) | undefined;
    const f = fakes((args) => (args.includes('new-session') ? { stdout: '5\n' } : {}));
    const run = async (file: string, args: readonly string[]): Promise<RunResult> => {
      if (args.includes('list-panes')) {
        await new Promise<void>((resolve) => (release = resolve));
        return { code: 0, stdout: '', stderr: '' };
      }
      return f.run(file, args);
    };
    const host = new TmuxHost({ socketDir: dir, run, spawnPty: f.spawnPty, signal: f.signal, defaultTerminal: 'screen-256color', pollMs: 60_000 });
    const polled = host.pollNow();
    const terminal = await host.start({ name: 'vibe_4', cwd: dir, argv: ['sh'], env: {}, cols: 80, rows: 24 });
    release!();
    await polled;
    expect(terminal.exitStatus()).toBeUndefined();
  });

  it('re-attaches when its client ends while the session lives, and adopts by exact name', async () => {
    const f = fakes((args) => {
      if (args.includes('display-message')) return { stdout: 'vibe_5 0   66\n' };
      if (args.includes('list-panes')) return { stdout: 'vibe_5 0   66\n' };
      return {};
    });
    const host = new TmuxHost({ socketDir: dir, run: f.run, spawnPty: f.spawnPty, signal: f.signal, defaultTerminal: 'screen-256color', pollMs: 60_000 });
    const terminal = await host.adopt('vibe_5', 100, 30);
    expect(f.calls[0]!.args).toEqual([...base(), 'display-message', '-p', '-t', '=vibe_5:', '#{session_name} #{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{pane_pid}']);
    expect(terminal?.pid()).toBe(66);
    f.spawns[0]!.pty.end();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(f.spawns).toHaveLength(2);
    expect(terminal?.exitStatus()).toBeUndefined();
    expect(await host.adopt('vibe 5; kill-server', 80, 24)).toBeUndefined();
  });

  it('asks perl what input waits unread on the attach client\'s tty and the pane\'s, once enough was typed to ask', async () => {
    let unread = '70\n';
    const f = fakes((args) => {
      if (args.includes('new-session')) return { stdout: '8\n' };
      if (args.includes('#{pane_tty}')) return { stdout: '/dev/pts/5\n' };
      if (args[0] === '-e') return { stdout: unread };
      return {};
    });
    const host = new TmuxHost({ socketDir: dir, run: f.run, spawnPty: f.spawnPty, signal: f.signal, defaultTerminal: 'screen-256color', pollMs: 60_000, perl: '/opt/perl' });
    const terminal = await host.start({ name: 'vibe_6', cwd: dir, argv: ['sh'], env: {}, cols: 80, rows: 24 });
    terminal.write('k'.repeat(1000));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(f.calls).toHaveLength(1);
    terminal.write('p'.repeat(20_000));
    const probe = { file: '/opt/perl', args: ['-e', UNREAD_SCRIPT, '--', '/dev/pts/9', '/dev/pts/5'] };
    await vi.waitFor(() => expect(f.calls.slice(1, 3)).toEqual([{ file: 'tmux', args: [...base(), 'display-message', '-p', '-t', '=vibe_6:', '#{pane_tty}'] }, probe]));
    expect(terminal.pendingInput()).toBe(21_000);
    unread = '0\n';
    await vi.waitFor(() => expect(terminal.pendingInput()).toBe(0));
    expect(f.calls.slice(3).every((call) => call.file === probe.file)).toBe(true);
  });
});
