// Where a pull request's branch is pushed and which repository the pull request is opened in — on a fork
// checkout the two differ: the branch goes to the user's fork and the pull request to the upstream repository.
import { ProtocolError } from '@vibe/protocol';
import { execGit, gitOrThrow, type GitRunner } from './git-runner.js';
import { gitHubRepo, parseRepoName, repoArgument, type GitHubRepo } from './remote-url.js';

/** What git says about one remote. */
export interface RemoteFacts {
  name: string;
  /** The fetch URL, `insteadOf` applied. */
  url: string;
  /** The first push URL, `pushInsteadOf` applied; the fetch URL when no other is set. */
  pushUrl: string;
  /** `remote.<name>.gh-resolved` is `base`: `gh repo set-default` chose this remote's repository. */
  ghDefault: boolean;
}

export interface RemotesConfig {
  remotes: RemoteFacts[];
  /** `remote.pushDefault`: git's own setting for the remote pushes go to (the fork, in a triangular setup). */
  pushDefault?: string;
}

/** What the user named; each one overrides its half of the rule. */
export interface PullRequestWanted {
  /** The remote to push to. */
  remote?: string;
  /** The repository to open the pull request in: `OWNER/NAME` or `HOST/OWNER/NAME`. */
  repo?: string;
}

export interface PullRequestRemotes {
  /** The remote the branch is pushed to. */
  push: { name: string; url: string };
  /**
   * When the branch goes to GitHub: the repository the pull request is opened in and the one holding the
   * branch — the same repository, or a fork of it. Absent for other hosts, where the pull request (a GitLab
   * merge request, say) is left to the remote the branch went to.
   */
  gitHub?: { repo: GitHubRepo; head: GitHubRepo };
}

/** Reads the project's remotes and applies {@link choosePullRequestRemotes}. */
export async function pullRequestRemotes(repo: string, wanted: PullRequestWanted = {}, git: GitRunner = execGit): Promise<PullRequestRemotes> {
  return choosePullRequestRemotes(await remotesConfig(repo, git), wanted);
}

/**
 * The rule. The branch is pushed to `wanted.remote`, else to `remote.pushDefault`, else to `origin`, else to
 * the only remote. The pull request is opened in `wanted.repo`, else in the repository of the remote
 * `gh repo set-default` chose, else in `upstream`'s, else in `origin`'s when the branch went elsewhere, else in
 * the one the branch went to — so `origin` = fork + `upstream` = upstream, and `origin` = upstream + a fork
 * remote named by --remote or remote.pushDefault, both open it upstream from `fork-owner:branch`.
 */
export function choosePullRequestRemotes({ remotes, pushDefault }: RemotesConfig, wanted: PullRequestWanted = {}): PullRequestRemotes {
  const named = (name: string | undefined): RemoteFacts | undefined => remotes.find((remote) => remote.name === name);
  const names = remotes.map((remote) => remote.name).join(', ');
  if (remotes.length === 0) throw new ProtocolError('conflict', 'the project has no git remote; add one with `git remote add origin URL`');
  let push: RemoteFacts | undefined;
  if (wanted.remote !== undefined) {
    push = named(wanted.remote);
    if (!push) throw new ProtocolError('not_found', `the project has no git remote called ${wanted.remote} (it has ${names})`);
  } else {
    push = named(pushDefault) ?? named('origin') ?? (remotes.length === 1 ? remotes[0] : undefined);
    if (!push) {
      throw new ProtocolError('conflict', `the project has several git remotes (${names}) and none is called origin; choose one with --remote NAME or \`git config remote.pushDefault NAME\``);
    }
  }
  const pushed = { name: push.name, url: push.url };

  // A host named in --repo is GitHub's, whatever it is called.
  const repoParts = wanted.repo?.split('/') ?? [];
  const alsoGitHub = repoParts.length === 3 ? [repoParts[0]!.toLowerCase()] : [];
  // The branch lives where it is pushed: a push URL set apart from the fetch URL names the fork.
  const head = gitHubRepo(push.pushUrl, alsoGitHub) ?? gitHubRepo(push.url, alsoGitHub);

  if (wanted.repo !== undefined) {
    const repo = parseRepoName(wanted.repo, head?.host);
    if (!repo) throw new ProtocolError('invalid_params', `the repository should read OWNER/NAME or HOST/OWNER/NAME, not "${wanted.repo}"`);
    if (!head) {
      throw new ProtocolError('conflict', `${push.name} (${push.url}) is not a GitHub repository, so no pull request into ${repoArgument(repo)} can come from it; push to a GitHub remote with --remote NAME`);
    }
    return { push: pushed, gitHub: { repo, head: sameHost(head, repo) } };
  }
  if (!head) return { push: pushed };

  const base = remotes.find((remote) => remote.ghDefault) ?? [named('upstream'), named('origin')].find((remote) => remote && remote !== push) ?? push;
  const repo = gitHubRepo(base.url, alsoGitHub) ?? (base === push ? head : undefined);
  if (!repo) {
    throw new ProtocolError('conflict', `${base.name} (${base.url}) is not a GitHub repository, so vibe cannot open a pull request in it from ${push.name}; name the repository with --repo OWNER/NAME`);
  }
  return { push: pushed, gitHub: { repo, head: sameHost(head, repo) } };
}

/** A pull request's branch must be on the host of the repository it is opened in. */
function sameHost(head: GitHubRepo, repo: GitHubRepo): GitHubRepo {
  if (head.host !== repo.host) {
    throw new ProtocolError('conflict', `the branch would go to ${head.host} and the pull request to ${repoArgument(repo)}: a pull request cannot come from another host`);
  }
  return head;
}

async function remotesConfig(repo: string, git: GitRunner): Promise<RemotesConfig> {
  const names = (await gitOrThrow(git, ['remote'], repo)).split('\n').filter((name) => name !== '');
  const remotes: RemoteFacts[] = [];
  for (const name of names) {
    const url = (await gitOrThrow(git, ['remote', 'get-url', '--', name], repo)).trim();
    const pushUrl = (await gitOrThrow(git, ['remote', 'get-url', '--push', '--', name], repo)).split('\n')[0]!.trim() || url;
    const resolved = await git(['config', '--get', `remote.${name}.gh-resolved`], repo);
    remotes.push({ name, url, pushUrl, ghDefault: resolved.code === 0 && resolved.stdout.trim() === 'base' });
  }
  // Exit 1 is "not set".
  const pushDefault = (await git(['config', '--get', 'remote.pushDefault'], repo)).stdout.trim();
  return { remotes, ...(pushDefault !== '' && { pushDefault }) };
}
