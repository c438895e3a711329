// The scripted fake agent run directly (with a fake hook that logs states), and driven through a real
// worktree with vibe's files in place: its commits never pick up vibe's per-attempt files.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claude, hookSettings } from './claude.js';
import { writeAgentFiles } from './files.js';
import { createWorktree, excludeFromGit, isTracked } from '../worktrees/index.js';
import { git, tempDir, tempRepo } from '../worktrees/temp-repo.js';

const FAKE_AGENT = fileURLToPath(new URL('../../test/fixtures/fake-agent.mjs', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A hook script that appends its arguments to `log`, in a directory whose name needs quoting. */
function fakeHook(): { script: string; log: string } {
  const dir = join(tempDir(), "it's a $(dir)");
  mkdirSync(dir);
  const script = join(dir, 'hook.cjs');
  const log = join(dir, 'states.log');
  writeFileSync(script, `require('fs').appendFileSync(${JSON.stringify(log)}, process.argv.slice(2).join(' ') + '\\n');\n`);
  return { script, log };
}

function runFake(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FAKE_AGENT, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (opts.input !== undefined) child.stdin.end(opts.input);
  });
}

const hookEnv = (script: string): Record<string, string> => ({ VIBE_HOOK_NODE: process.execPath, VIBE_HOOK_SCRIPT: script });

describe('fake agent', () => {
  it('prints, reports states in order, asks, edits, commits and exits with the chosen code', async () => {
    const { repo } = tempRepo();
    const { script, log } = fakeHook();
    const steps = 'print:hello\\; world;hook:working;ask:Proceed? (y/n) ;expect:y;print:got {answer};edit:notes/a.txt=hi;commit:add notes;hook:idle;sleep:20;exit:3';
    const run = await runFake(['--script', steps], { cwd: repo, env: hookEnv(script), input: 'y\n' });
    expect(run).toMatchObject({ code: 3, stdout: 'hello; world\nProceed? (y/n) got y\n' });
    expect(readFileSync(log, 'utf8')).toBe('working\nidle\n');
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('add notes');
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD')).toBe('notes/a.txt');
  });

  it('reads its script from FAKE_AGENT_SCRIPT and exits 0 after the last step', async () => {
    const run = await runFake([], { cwd: tempDir(), env: { FAKE_AGENT_SCRIPT: 'print:from env' } });
    expect(run).toMatchObject({ code: 0, stdout: 'from env\n' });
  });

  it('skips hooks when no hook is configured', async () => {
    const run = await runFake(['--script', 'hook:working;print:ok'], { cwd: tempDir(), env: { VIBE_HOOK_NODE: '', VIBE_HOOK_SCRIPT: '' } });
    expect(run).toMatchObject({ code: 0, stdout: 'ok\n' });
  });

  it('exits 2 on an unexpected answer and 4 when stdin ends before one', async () => {
    expect(await runFake(['--script', 'ask:ok? ;expect:y'], { cwd: tempDir(), input: 'n\n' })).toMatchObject({ code: 2 });
    expect(await runFake(['--script', 'ask:ok? ;print:never'], { cwd: tempDir(), input: '' })).toMatchObject({ code: 4, stdout: 'ok? ' });
  });

  it('refuses unknown steps and edits outside its cwd', async () => {
    expect(await runFake(['--script', 'dance:now'], { cwd: tempDir() })).toMatchObject({ code: 64 });
    const cwd = tempDir();
    expect(await runFake(['--script', 'edit:../escape.txt=x'], { cwd })).toMatchObject({ code: 64 });
    expect(existsSync(join(cwd, '..', 'escape.txt'))).toBe(false);
  });
});

describe('claude files in a real attempt', () => {
  it("stay out of the agent's commits and status, and its hook command runs through sh", async () => {
    const { repo, data } = tempRepo({ 'README.md': '# app\n' });
    const wt = join(data, 'wt');
    await createWorktree({ repo, baseBranch: 'main', path: wt, branch: 'vibe/1-fix' });
    const { script, log } = fakeHook();
    const hook = { argv: [process.execPath, script], env: hookEnv(script) };
    const launch = await claude.launch({ sessionId: 1, worktree: wt, repository: repo, prompt: 'Fix it', instructions: 'Be careful.', hook }, { isTracked: (rel) => isTracked(wt, rel) });
    await writeAgentFiles(wt, launch.files);
    await excludeFromGit(wt, launch.excludes);
    expect(git(wt, 'status', '--porcelain')).toBe('');

    const run = await runFake(['--script', 'edit:fix.txt=done;commit:fix'], { cwd: wt });
    expect(run.code).toBe(0);
    expect(git(wt, 'show', '--name-only', '--format=', 'HEAD')).toBe('fix.txt');
    expect(git(repo, 'diff', '--name-only', 'main', 'vibe/1-fix')).toBe('fix.txt');

    const stop = hookSettings(hook.argv).hooks.Stop as Array<{ hooks: Array<{ command: string }> }>;
    const child = spawn('/bin/sh', ['-c', stop[0]!.hooks[0]!.command], { cwd: wt });
    await new Promise((done) => child.on('close', done));
    expect(readFileSync(log, 'utf8')).toBe('idle\n');
  });
});
