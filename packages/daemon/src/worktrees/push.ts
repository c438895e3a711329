// Publishing an attempt's branch: which remote is the project's, pushing to it without ever prompting, and
// the web address where a pull request for it can be opened.
import { ProtocolError } from '@vibe/protocol';
import { validateBranchName } from './branch-name.js';
import { execGit, firstLine, gitOrThrow, type GitRunner } from './git-runner.js';

const PUSH_TIMEOUT_MS = 120_000;

/** `origin`, else the only remote; none, or several without an origin, is `conflict`. */
export async function projectRemote(repo: string, git: GitRunner = execGit): Promise<{ name: string; url: string }> {
  const names = (await gitOrThrow(git, ['remote'], repo)).split('\n').filter((n) => n !== '');
  if (names.length === 0) throw new ProtocolError('conflict', 'the project has no git remote; add one with `git remote add origin URL`');
  const name = names.includes('origin') ? 'origin' : names.length === 1 ? names[0]! : undefined;
  if (name === undefined) throw new ProtocolError('conflict', `the project has several git remotes (${names.join(', ')}) and none is called origin`);
  const url = (await gitOrThrow(git, ['remote', 'get-url', '--', name], repo)).trim();
  return { name, url };
}

/** `git push -u <remote> <branch>`: no prompts (GIT_TERMINAL_PROMPT=0, ssh in batch mode), bounded time. */
export async function pushBranch({ repo, remote, branch }: { repo: string; remote: string; branch: string }, git: GitRunner = execGit): Promise<void> {
  await validateBranchName(git, branch, repo);
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0' };
  if (process.env.GIT_SSH_COMMAND === undefined && process.env.GIT_SSH === undefined) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  const refspec = `refs/heads/${branch}:refs/heads/${branch}`;
  const pushed = await git(['push', '--porcelain', '-u', remote, refspec], repo, { env, timeoutMs: PUSH_TIMEOUT_MS });
  if (pushed.code !== 0) {
    const why = pushed.code === -1 ? `no answer within ${PUSH_TIMEOUT_MS / 1000} s` : firstLine(pushed.stderr) || `exit ${pushed.code}`;
    throw new ProtocolError('conflict', `git push to ${remote} failed: ${why}`);
  }
}

/**
 * The page for opening a pull request from `branch` into `base`, for GitHub- and GitLab-style https and ssh
 * remote URLs (`https://host/o/r.git`, `git@host:o/r.git`, `ssh://git@host[:port]/o/r.git`); undefined for
 * anything else (a local path, a bare host).
 */
export function compareUrl(remoteUrl: string, base: string, branch: string): string | undefined {
  const web = webAddress(remoteUrl);
  if (!web) return undefined;
  const ref = (name: string): string => name.split('/').map(encodeURIComponent).join('/');
  if (web.host.includes('gitlab')) return `https://${web.host}/${web.path}/-/compare/${ref(base)}...${ref(branch)}`;
  return `https://${web.host}/${web.path}/compare/${ref(base)}...${ref(branch)}?expand=1`;
}

function webAddress(url: string): { host: string; path: string } | undefined {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(url);
  const full = /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/.exec(url);
  const match = full ?? scp;
  if (!match) return undefined;
  const path = match[2]!.replace(/\/+$/, '').replace(/\.git$/, '');
  if (!path.includes('/') || path.startsWith('/')) return undefined;
  return { host: match[1]!, path };
}
