// Publishing an attempt's branch: pushing it without ever prompting, and the web address where a pull
// request for it can be opened.
import { ProtocolError } from '@vibe/protocol';
import { validateBranchName } from './branch-name.js';
import { execGit, firstLine, type GitRunner } from './git-runner.js';
import { remoteAddress, sameRepo, type GitHubRepo } from './remote-url.js';

const PUSH_TIMEOUT_MS = 120_000;

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
  const web = remoteAddress(remoteUrl);
  if (!web) return undefined;
  if (web.host.includes('gitlab')) return `https://${web.host}/${web.path}/-/compare/${ref(base)}...${ref(branch)}`;
  return `https://${web.host}/${web.path}/compare/${ref(base)}...${ref(branch)}?expand=1`;
}

/**
 * GitHub's page for opening a pull request into `repo`'s `base` from `branch` of `head` — the same repository,
 * or a fork named by its owner (`owner:branch`, or `owner:name:branch` when the fork was renamed).
 */
export function gitHubCompareUrl(repo: GitHubRepo, base: string, head: GitHubRepo, branch: string): string {
  let from = ref(branch);
  if (!sameRepo(repo, head)) from = head.name.toLowerCase() === repo.name.toLowerCase() ? `${head.owner}:${from}` : `${head.owner}:${head.name}:${from}`;
  return `https://${repo.host}/${repo.owner}/${repo.name}/compare/${ref(base)}...${from}?expand=1`;
}

/** A branch name in a URL path: each segment escaped, the slashes kept. */
function ref(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}
