// The daemon wires `vibe mcp` into claude, codex and gemini as it starts them, through the real bin/vibe and
// daemon: stand-ins for the three CLIs find vibe's server where the real CLI would look, start it and call it,
// and the repository's tracked files — its own CLAUDE.md and AGENTS.md included — are left exactly as they were.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, Sandbox } from './harness.js';

const standIn = fileURLToPath(new URL('./fixtures/mcp-agent.mjs', import.meta.url));
const cliMain = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Seen {
  cli: string;
  argv: string[];
  cwd: string;
  server: { type?: string; command: string; args: string[]; env: Record<string, string> } | null;
  tasks: { number: number; title: string; you?: boolean }[] | { error: string } | null;
  error: string | null;
}

let sandbox: Sandbox;
let repo: string;
let out: string;
const seen = new Map<string, Seen>();

const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8' });

beforeAll(async () => {
  sandbox = new Sandbox();
  out = join(sandbox.dir, 'seen');
  const bin = join(sandbox.dir, 'bin');
  mkdirSync(out);
  mkdirSync(bin);
  for (const cli of ['claude', 'codex', 'gemini']) {
    writeFileSync(join(bin, cli), `#!/bin/sh\nexec '${process.execPath}' '${standIn}' ${cli} "$@"\n`);
    chmodSync(join(bin, cli), 0o755);
  }
  Object.assign(sandbox.env, { PATH: `${bin}:${sandbox.env.PATH}`, VIBE_STAND_IN_OUT: out });
  // The repository has instruction files of its own, which vibe must neither change nor stage.
  repo = sandbox.repo('app');
  writeFileSync(join(repo, 'CLAUDE.md'), '# House rules\n');
  writeFileSync(join(repo, 'AGENTS.md'), '# House rules for agents\n');
  git(repo, 'add', '.');
  git(repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'instructions');
  expect((await sandbox.vibe(['up'], { cwd: repo })).code).toBe(0);
  for (const [n, cli] of [[1, 'claude'], [2, 'codex'], [3, 'gemini']] as const) {
    const started = await sandbox.vibe(['task', 'add', `Work with ${cli}`, '--agent', cli, '--start'], { cwd: repo });
    expect(started.code, started.stderr).toBe(0);
    const file = join(out, `${cli}-${n}.json`);
    seen.set(cli, await eventually(async () => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Seen) : undefined), `the ${cli} stand-in`, 30_000));
  }
});

afterAll(async () => {
  await sandbox?.dispose();
});

describe.each([
  [1, 'claude'],
  [2, 'codex'],
  [3, 'gemini'],
] as const)('task %i, started with %s', (n, cli) => {
  it('finds vibe mcp in its configuration — this vibe\'s CLI, for this task — and its tools answer', () => {
    const { server, tasks, error } = seen.get(cli)!;
    expect(error).toBeNull();
    expect(server).toEqual({
      ...(cli === 'claude' && { type: 'stdio' }),
      command: process.execPath,
      args: [cliMain, 'mcp'],
      env: { VIBE_SOCKET: join(sandbox.home, 'run', 'daemon.sock'), VIBE_PROJECT: 'app', VIBE_TASK: String(n), VIBE_ATTEMPT: '1' },
    });
    expect(Array.isArray(tasks) && tasks.find((task) => task.you)).toMatchObject({ number: n, title: `Work with ${cli}` });
  });

  it('is told about the tools and the inbox, and no file the repository tracks changed', () => {
    const { argv, cwd } = seen.get(cli)!;
    const told = cli === 'claude' ? readFileSync(join(cwd, 'CLAUDE.local.md'), 'utf8') : cli === 'codex' ? readFileSync(join(cwd, 'AGENTS.override.md'), 'utf8') : argv.at(-1)!;
    expect(told).toContain(`You work on task ${n} of project "app"`);
    expect(told).toContain('`read_inbox`');
    // Codex reads its override instead of AGENTS.md, so the override carries the repository's text first.
    if (cli === 'codex') expect(told.startsWith('# House rules for agents\n')).toBe(true);
    // Clean: vibe's own files are excluded, and nothing tracked differs from the commit the attempt started at.
    expect(git(cwd, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(readFileSync(join(cwd, 'CLAUDE.md'), 'utf8')).toBe('# House rules\n');
    expect(readFileSync(join(cwd, 'AGENTS.md'), 'utf8')).toBe('# House rules for agents\n');
  });
});

describe('the wiring, per CLI', () => {
  it('is an inline --mcp-config for claude, -c mcp_servers.vibe overrides for codex, .gemini/settings.json for gemini', () => {
    expect(seen.get('claude')!.argv).toContain('--mcp-config');
    expect(seen.get('codex')!.argv.filter((arg) => arg.startsWith('mcp_servers.vibe.')).map((arg) => arg.split('=')[0])).toEqual([
      'mcp_servers.vibe.command',
      'mcp_servers.vibe.args',
      'mcp_servers.vibe.env',
    ]);
    const gemini = JSON.parse(readFileSync(join(seen.get('gemini')!.cwd, '.gemini', 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(gemini).sort()).toEqual(['hooks', 'mcpServers']);
  });
});
