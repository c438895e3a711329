// The review and landing commands' command lines, parsed in-process: what is refused before any daemon is asked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@vibe/protocol';
import { commentValue } from './commands/task-review.js';
import { describeError, type ErrorReport, UsageError } from './errors.js';
import { buildProgram } from './program.js';

// No daemon lives here: a command that gets as far as connecting fails with "daemon not running" (69).
const home = mkdtempSync(join(tmpdir(), 'vibe-review-'));
const savedHome = process.env.VIBE_HOME;
beforeAll(() => {
  process.env.VIBE_HOME = home;
});
afterAll(() => {
  if (savedHome === undefined) delete process.env.VIBE_HOME;
  else process.env.VIBE_HOME = savedHome;
  rmSync(home, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<ErrorReport> {
  const program = buildProgram({ writeOut: () => {}, writeErr: () => {} });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { exitCode: 0, lines: [] };
  } catch (error) {
    return describeError(error, { debug: false });
  }
}

describe('the review and landing commands', () => {
  it.each([
    [['task', 'merge', '3', '--squash', '--rebase'], 'vibe: choose one merge mode: --squash, --rebase were given together'],
    [['task', 'merge', '3', '--message', ' '], 'vibe: --message needs text; leave it out for the default message'],
    [['task', 'diff', '3', '--stat', '--name-only'], 'vibe: give --stat or --name-only, not both'],
    [['task', 'diff', '3', '--attempt', '0'], 'vibe: --attempt expects an attempt number like 1 or 2, got "0"'],
    [['task', 'pr', 'x'], 'vibe: invalid task id "x": expected a number like 3, #3 or PROJECT#3'],
    [['task', 'pr', '3', '--repo', 'acme'], 'vibe: --repo expects OWNER/NAME or HOST/OWNER/NAME, like acme/app, got "acme"'],
    [['task', 'pr', '3', '--remote', '-f'], 'vibe: --remote expects the name of a git remote, like origin, got "-f"'],
    [['task', 'review', '3', '  '], 'vibe: the review comment is empty'],
  ])('refuses %j as a usage error', async (args, line) => {
    expect(await run(...args)).toEqual({ exitCode: 2, lines: [line] });
  });

  it.each([
    [['task', 'diff', '3']],
    [['task', 'review', '3', 'please add tests']],
    [['task', 'merge', '3', '--merge', '--keep-branch']],
    [['task', 'rebase', '3', '--ask-agent']],
    [['task', 'pr', '3', '--draft']],
    [['task', 'pr', '3', '--remote', 'fork', '--repo', 'https://github.example.com/acme/app']],
    [['task', 'log', '3']],
    [['gc', '--dry-run']],
  ])('takes %j and asks the daemon', async (args) => {
    expect((await run(...args)).exitCode).toBe(69);
  });
});

describe('the review comment', () => {
  const stdin = (text: string): AsyncIterable<Uint8Array> => (async function* () {
    yield new TextEncoder().encode(text);
  })();

  it('reads "-" from standard input, dropping one trailing newline', async () => {
    expect(await commentValue('-', stdin('please add tests\n\n'))).toBe('please add tests\n');
  });

  it('refuses an empty or over-long comment from standard input', async () => {
    await expect(commentValue('-', stdin('\n'))).rejects.toThrow(UsageError);
    await expect(commentValue('-', stdin('x'.repeat(LIMITS.descriptionMax + 1)))).rejects.toThrow('longer than');
  });
});
