// What a git remote URL names: the web host and path behind it, and the GitHub repository when it is one —
// read from every form git takes (https, scp-like `git@host:`, `ssh://`, `git://`) and from gh's
// `[HOST/]OWNER/NAME`.

/** A repository on github.com or on a GitHub Enterprise host. */
export interface GitHubRepo {
  host: string;
  owner: string;
  name: string;
}

/** The web host and the repository's path on it; undefined for a local path, a bare host or no path. */
export function remoteAddress(url: string): { host: string; path: string } | undefined {
  const full = /^(?:https?|ssh|git|git\+ssh|ssh\+git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/.exec(url);
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(url);
  const match = full ?? scp;
  if (!match) return undefined;
  const path = match[2]!.replace(/\/+$/, '').replace(/\.git$/, '');
  if (!path.includes('/') || path.startsWith('/')) return undefined;
  return { host: match[1]!.toLowerCase(), path };
}

/**
 * github.com, GitHub Enterprise Cloud (`*.ghe.com`) and the usual names of a GitHub Enterprise Server
 * (`github.example.com`); `alsoGitHub` adds hosts the caller knows to be GitHub (one named in `--repo`).
 */
export function isGitHubHost(host: string, alsoGitHub: readonly string[] = []): boolean {
  const name = host.toLowerCase();
  return alsoGitHub.includes(name) || name.endsWith('.ghe.com') || (name.includes('github') && !name.includes('gitlab'));
}

const OWNER = /^[A-Za-z0-9][\w.-]*$/;
const NAME = /^[\w.-]+$/;

/** The GitHub repository a remote URL points at, or undefined when it is not one. */
export function gitHubRepo(url: string, alsoGitHub: readonly string[] = []): GitHubRepo | undefined {
  const address = remoteAddress(url);
  if (!address || !isGitHubHost(address.host, alsoGitHub)) return undefined;
  const [owner, name, ...rest] = address.path.split('/');
  if (rest.length > 0 || !owner || !name || !OWNER.test(owner) || !NAME.test(name)) return undefined;
  return { host: sshAlias(address.host, url), owner, name };
}

/**
 * `git@github.com-work:o/r.git` names a Host entry of ~/.ssh/config, the usual way to use a second GitHub
 * account over ssh; gh and the web know the host as github.com.
 */
function sshAlias(host: string, url: string): string {
  const overSsh = !/^(?:https?|git):\/\//.test(url);
  return overSsh && /^github\.com[-_.]./.test(host) ? 'github.com' : host;
}

/** `OWNER/NAME` on `defaultHost`, or `HOST/OWNER/NAME`, as gh's `--repo` takes it; undefined if malformed. */
export function parseRepoName(text: string, defaultHost = 'github.com'): GitHubRepo | undefined {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3) return undefined;
  const [owner, typed] = parts.slice(-2) as [string, string];
  const name = typed.replace(/\.git$/, '');
  const host = parts.length === 3 ? parts[0]!.toLowerCase() : defaultHost;
  if (!/^[a-z0-9.-]+$/.test(host) || !OWNER.test(owner) || !NAME.test(name)) return undefined;
  return { host, owner, name };
}

/** The repository as gh's `--repo` takes it: `OWNER/NAME` on github.com, `HOST/OWNER/NAME` elsewhere. */
export function repoArgument(repo: GitHubRepo): string {
  return repo.host === 'github.com' ? `${repo.owner}/${repo.name}` : `${repo.host}/${repo.owner}/${repo.name}`;
}

/** GitHub's owner and repository names are case-insensitive. */
export function sameRepo(a: GitHubRepo, b: GitHubRepo): boolean {
  return a.host === b.host && a.owner.toLowerCase() === b.owner.toLowerCase() && a.name.toLowerCase() === b.name.toLowerCase();
}
