// Publishing an attempt for review elsewhere: push its branch (to the user's fork, on a fork checkout), then
// open a pull request with gh when it is installed and signed in, or hand back the page where one can be opened.
import type { MethodParams, MethodResult } from '@vibe/protocol';
import { compareUrl, gitHubCompareUrl, pullRequestRemotes, pushBranch, repoArgument, sameRepo, type PullRequestRemotes } from '../worktrees/index.js';
import { runCommand, type CommandRunner } from './command.js';
import { locate, type ReviewOptions } from './context.js';

const GH_TIMEOUT_MS = 60_000;

type GitHubTarget = NonNullable<PullRequestRemotes['gitHub']>;

export async function pullRequest(options: ReviewOptions, params: MethodParams<'task.pr'>): Promise<MethodResult<'task.pr'>> {
  const run = options.run ?? runCommand;
  const { project, task, session } = locate(options, params);
  const { push, gitHub } = await pullRequestRemotes(project.path, { ...(params.remote !== undefined && { remote: params.remote }), ...(params.repo !== undefined && { repo: params.repo }) });
  await pushBranch({ repo: project.path, remote: push.name, branch: session.branch });
  const pushed = { remote: push.name, pushed: true, ...(gitHub && { repo: repoArgument(gitHub.repo) }) };
  const signedIn = (await run('gh', ['auth', 'status'], project.path, GH_TIMEOUT_MS)).code === 0;
  if (signedIn) {
    // On GitHub the repository is named, or gh would choose one from the remotes itself; elsewhere gh is left
    // to choose, so GitHub Enterprise under a host name vibe does not recognise still works.
    const target = gitHub ? ['--repo', repoArgument(gitHub.repo), '--head', headName(gitHub, session.branch)] : ['--head', session.branch];
    const args = ['pr', 'create', ...target, '--base', project.baseBranch, '--title', task.title, '--body', task.description];
    if (params.draft) args.push('--draft');
    const created = await run('gh', args, project.path, GH_TIMEOUT_MS);
    const url = lastUrl(created.stdout);
    if (created.code === 0 && url) return { ...pushed, via: 'gh', url };
    // Run again (after more commits, say), gh refuses a second pull request and names the open one: the push
    // has updated it, so that is the answer. A gh that words it otherwise is asked for the open ones.
    const open = (/already exists/.test(created.stderr) ? lastUrl(created.stderr) : undefined) ?? (gitHub && (await openPullRequest(run, project.path, gitHub, session.branch)));
    if (open) return { ...pushed, via: 'gh', url: open, existing: true };
    options.logger.warn('gh pr create failed; giving the compare URL instead', { code: created.code, stderr: created.stderr.slice(0, 2000) });
  }
  // No web page is known for a remote that is a local path or an unusual URL: an empty url says so.
  const page = gitHub ? gitHubCompareUrl(gitHub.repo, project.baseBranch, gitHub.head, session.branch) : compareUrl(push.url, project.baseBranch, session.branch);
  return { ...pushed, via: 'compare', url: page ?? '' };
}

/** gh's `--head`: the branch, qualified by the fork's owner when it lives in a fork. */
function headName({ repo, head }: GitHubTarget, branch: string): string {
  return sameRepo(repo, head) ? branch : `${head.owner}:${branch}`;
}

/**
 * The open pull request into `repo` from this branch of `head`. `gh pr list --head` takes a bare branch name
 * (not `owner:branch`), and vibe's branch names repeat across forks, so the owner is checked here.
 */
async function openPullRequest(run: CommandRunner, cwd: string, { repo, head }: GitHubTarget, branch: string): Promise<string | undefined> {
  const args = ['pr', 'list', '--repo', repoArgument(repo), '--head', branch, '--state', 'open', '--json', 'url,headRepositoryOwner'];
  const listed = await run('gh', args, cwd, GH_TIMEOUT_MS);
  if (listed.code !== 0) return undefined;
  let found: unknown;
  try {
    found = JSON.parse(listed.stdout);
  } catch {
    return undefined;
  }
  if (!Array.isArray(found)) return undefined;
  const ours = (found as { url?: unknown; headRepositoryOwner?: { login?: unknown } }[]).find(
    (pr) => typeof pr.headRepositoryOwner?.login === 'string' && pr.headRepositoryOwner.login.toLowerCase() === head.owner.toLowerCase(),
  );
  return typeof ours?.url === 'string' ? ours.url : undefined;
}

/** The last line of gh's output that is a web address. */
function lastUrl(output: string): string | undefined {
  return output.split('\n').reverse().find((line) => /^https?:\/\/\S+$/.test(line.trim()))?.trim();
}
