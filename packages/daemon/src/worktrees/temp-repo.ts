// Test fixture: real git repositories in temp directories, removed when the test ends, plus a runner that
// records every git call so tests can assert on exact argv.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { execGit, gitEnv, type GitRunner } from './git-runner.js';

/** A fresh temp directory (symlinks resolved, so paths compare equal to git's), removed after the test. */
export function tempDir(prefix = 'vibe-git-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs git synchronously in `cwd` with a fixed identity and no user config; returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=vibe test', '-c', 'user.email=test@vibe.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { ...gitEnv(process.env), GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export interface TempRepo {
  /** The main checkout (on `main`, one commit). */
  repo: string;
  /** A sibling directory outside the repository, for worktrees. */
  data: string;
  write(rel: string, content: string): void;
  commit(message: string): string;
}

/** A repository with `files` committed on `main`, and a data dir beside it (never inside it). */
export function tempRepo(files: Record<string, string> = { 'README.md': '# test\n' }): TempRepo {
  const root = tempDir();
  const repo = join(root, 'repo');
  const data = join(root, 'data');
  mkdirSync(repo);
  mkdirSync(data);
  git(repo, 'init', '-q', '--initial-branch=main');
  const write = (rel: string, content: string): void => {
    mkdirSync(dirname(join(repo, rel)), { recursive: true });
    writeFileSync(join(repo, rel), content);
  };
  const commit = (message: string): string => {
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '--allow-empty', '-m', message);
    return git(repo, 'rev-parse', 'HEAD');
  };
  for (const [rel, content] of Object.entries(files)) write(rel, content);
  commit('initial');
  return { repo, data, write, commit };
}

/** The real runner, with each call's argv appended to `calls`. */
export function recordingGit(calls: string[][] = []): { git: GitRunner; calls: string[][] } {
  return {
    calls,
    git: (args, cwd, options) => {
      calls.push([...args]);
      return execGit(args, cwd, options);
    },
  };
}
