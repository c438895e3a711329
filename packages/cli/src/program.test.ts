// The command line as a whole, parsed in-process: help, version, usage errors and their exit codes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError, type ErrorReport } from './errors.js';
import { buildProgram } from './program.js';
import { CLI_VERSION } from './version.js';

// No daemon lives here, so commands that get as far as connecting fail with "daemon not running".
const home = mkdtempSync(join(tmpdir(), 'vibe-program-'));
const savedHome = process.env.VIBE_HOME;
beforeAll(() => {
  process.env.VIBE_HOME = home;
});
afterAll(() => {
  if (savedHome === undefined) delete process.env.VIBE_HOME;
  else process.env.VIBE_HOME = savedHome;
  rmSync(home, { recursive: true, force: true });
});

/** Runs the command line as main.ts would and returns the exit code, stderr lines and what commander printed. */
async function run(...args: string[]): Promise<ErrorReport & { out: string }> {
  let out = '';
  const program = buildProgram({ writeOut: (text) => (out += text), writeErr: (text) => (out += text) });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { exitCode: 0, lines: [], out };
  } catch (error) {
    return { ...describeError(error, { debug: false }), out };
  }
}

describe('the vibe command line', () => {
  it('prints its version', async () => {
    const result = await run('--version');
    expect(result.exitCode).toBe(0);
    expect(result.out.trim()).toBe(CLI_VERSION);
  });

  it('shows help for a command through `help`', async () => {
    const result = await run('help', 'task');
    expect(result.exitCode).toBe(0);
    expect(result.out).toContain('Usage: vibe task');
    expect(result.out).toMatch(/ls\|list/);
  });

  it('shows the options of task ls in its help', async () => {
    const result = await run('task', 'ls', '--help');
    expect(result.exitCode).toBe(0);
    for (const flag of ['--status', '--all-projects', '--project', '--json']) expect(result.out).toContain(flag);
  });

  it('is a usage error to name no task subcommand', async () => {
    expect((await run('task')).exitCode).toBe(2);
  });

  it.each([
    [['frobnicate'], "vibe: unknown command 'frobnicate'"],
    [['task', 'ls', '--jsn'], "vibe: unknown option '--jsn' (Did you mean --json?)"],
    [['task', 'show'], "vibe: missing required argument 'id'"],
    [['task', 'show', 'abc'], 'vibe: invalid task id "abc": expected a number like 3, #3 or PROJECT#3'],
    [['task', 'mv', '3', 'doing'], 'vibe: unknown status "doing": use one of todo, in_progress, in_review, done, cancelled'],
    [['task', 'ls', '--status', 'todo,doing'], 'vibe: unknown status "doing": use one of todo, in_progress, in_review, done, cancelled'],
    [['task', 'edit', '3'], 'vibe: nothing to change: give --title, --description, --agent or --default-agent'],
    [['task', 'add', '   '], 'vibe: the task title must not be empty'],
    [['logs', '-n', 'many'], 'vibe: -n expects a number of lines, got "many"'],
    [['project', 'set'], 'vibe: nothing to change: give --base, --setup, --no-setup, --instructions, --no-instructions or --max-sessions'],
    [['project', 'set', '--max-sessions', '100'], 'vibe: --max-sessions expects a whole number from 1 to 64, got "100"'],
    [['project', 'set', '--setup', ' '], 'vibe: --setup needs a command; --no-setup removes the setup step'],
    [['project', 'set', '--instructions', '/nonexistent/rules.md'], 'vibe: the instructions file /nonexistent/rules.md does not exist'],
    [['attach'], 'vibe: name a task (3, #3 or PROJECT#3) or a session (s4, or --session 4)'],
    [['attach', '3', '--session', '4'], 'vibe: give a task id or --session, not both'],
    [['attach', '3', '--detach-key', 'f1'], 'vibe: --detach-key: invalid detach key "f1": use Ctrl and a letter or one of @ [ \\ ] ^ _, like ctrl-] or ctrl-q'],
    [['attach', '3'], 'vibe: vibe attach needs a terminal on stdin and stdout; from a script, `vibe send` types into a session'],
    [['send', '3'], 'vibe: nothing to send: give the text ("-" reads it from stdin), or --enter'],
    [['send', 's0', 'hi'], 'vibe: invalid session id "s0": expected a number like 4 (or s4 in place of a task id)'],
    [['chat', ' '], 'vibe: the message must not be empty'],
    [['chat', '--limit', '0'], 'vibe: --limit takes a number from 1 to 500'],
    [['chat', 'hi', '--limit', '5'], 'vibe: --limit is for listing; drop it to post'],
    [['service', 'restart'], "vibe: command-argument value 'restart' is invalid for argument 'action'. Allowed choices are install, uninstall."],
    [['task', 'start', 'x'], 'vibe: invalid task id "x": expected a number like 3, #3 or PROJECT#3'],
  ])('refuses %j with exit 2 and one line', async (args, line) => {
    const result = await run(...args);
    expect(result.exitCode).toBe(2);
    expect(result.lines).toEqual([line]);
  });

  it('refuses --agent with --default-agent', async () => {
    const result = await run('task', 'edit', '3', '--agent', 'codex', '--default-agent');
    expect(result.exitCode).toBe(2);
    expect(result.lines).toHaveLength(1);
  });

  it('refuses an unknown shell for completion', async () => {
    const result = await run('completion', 'tcsh');
    expect(result.exitCode).toBe(2);
    expect(result.lines[0]).toMatch(/bash, zsh, fish/);
  });

  it.each([
    'status',
    'task ls',
    'task ls --status in-progress --status done',
    'task show web#3',
    'task rm 2',
    'task rm 2 --force',
    'task add title',
    'task add title --start',
    'task start 3 --agent codex',
    'task stop 3',
    'project ls',
    'project set --max-sessions 4',
    'ps --all-projects',
    'send 3 hello --enter',
    'send --session 4 hello',
    'chat',
    'chat hello',
  ])(
    'reports exit 69 for `vibe %s` when the daemon is not running',
    async (line) => {
      const result = await run(...line.split(' '));
      expect(result).toMatchObject({ exitCode: 69, lines: ['vibe: daemon not running — run `vibe up`'] });
    },
  );

  it('accepts --debug after a subcommand', async () => {
    const result = await run('task', 'ls', '--debug');
    expect(result.exitCode).toBe(69);
  });
});
