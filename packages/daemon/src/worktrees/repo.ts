// Questions about the user's repository that every worktree operation asks first: is it there, which
// branches exist, where its checkout ends.
import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ProtocolError } from '@vibe/protocol';
import { firstLine, type GitRunner } from './git-runner.js';

/** The top-level directory of the repository's main checkout; clear errors for a missing path or a non-repo. */
export async function repoRoot(git: GitRunner, repo: string): Promise<string> {
  let info;
  try {
    info = await stat(repo);
  } catch {
    throw new ProtocolError('not_found', `repository path ${repo} does not exist`);
  }
  if (!info.isDirectory()) throw new ProtocolError('not_found', `repository path ${repo} is not a directory`);
  const inside = await git(['rev-parse', '--is-inside-work-tree'], repo);
  if (inside.code !== 0) throw new ProtocolError('not_found', `${repo} is not a git repository (${firstLine(inside.stderr) || 'git rev-parse failed'})`);
  if (inside.stdout.trim() !== 'true') throw new ProtocolError('conflict', `${repo} has no working tree (a bare repository or a .git directory); register the checkout instead`);
  const top = await git(['rev-parse', '--show-toplevel'], repo);
  if (top.code !== 0) throw new ProtocolError('internal', `cannot find the top of the repository at ${repo}: ${firstLine(top.stderr)}`);
  return top.stdout.replace(/\n$/, '');
}

/** True when `refs/heads/<name>` exists. The name must already be validated (it is passed as a ref path). */
export async function branchExists(git: GitRunner, repo: string, name: string): Promise<boolean> {
  const result = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${name}`], repo);
  return result.code === 0;
}

/** Refuses a base that is not a local branch, telling a missing name apart from a tag, remote branch or sha. */
export async function requireBaseBranch(git: GitRunner, repo: string, baseBranch: string): Promise<void> {
  if (await branchExists(git, repo, baseBranch)) return;
  const other = await git(['rev-parse', '--verify', '--quiet', `${baseBranch}^{commit}`], repo);
  if (other.code === 0) {
    throw new ProtocolError(
      'conflict',
      `base branch "${baseBranch}" in ${repo} is not a local branch (it names a tag, a remote-tracking branch or a commit); set a local branch with \`vibe project set --base BRANCH\``,
    );
  }
  throw new ProtocolError('not_found', `base branch "${baseBranch}" does not exist in ${repo}; set one with \`vibe project set --base BRANCH\``);
}

/** True when `path` is `root` or below it, after resolving symlinks in the part of `path` that exists. */
export async function isInside(path: string, root: string): Promise<boolean> {
  const [real, realRoot] = await Promise.all([realpathOfExisting(resolve(path)), realpath(root)]);
  return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

/** realpath of the nearest existing ancestor, with the missing tail appended. */
async function realpathOfExisting(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(await realpathOfExisting(parent), basename(path));
  }
}

/** True when something (file, directory, even a dangling symlink) is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}
