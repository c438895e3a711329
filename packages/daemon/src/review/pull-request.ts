// Publishing an attempt for review elsewhere: push its branch, then open a pull request with gh when it is
// installed and signed in, or hand back the page where one can be opened.
import type { MethodParams, MethodResult } from '@vibe/protocol';
import { compareUrl, projectRemote, pushBranch } from '../worktrees/index.js';
import { runCommand } from './command.js';
import { locate, type ReviewOptions } from './context.js';

const GH_TIMEOUT_MS = 60_000;

export async function pullRequest(options: ReviewOptions, params: MethodParams<'task.pr'>): Promise<MethodResult<'task.pr'>> {
  const run = options.run ?? runCommand;
  const { project, task, session } = locate(options, params);
  const remote = await projectRemote(project.path);
  await pushBranch({ repo: project.path, remote: remote.name, branch: session.branch });
  const signedIn = (await run('gh', ['auth', 'status'], project.path, GH_TIMEOUT_MS)).code === 0;
  if (signedIn) {
    const args = ['pr', 'create', '--head', session.branch, '--base', project.baseBranch, '--title', task.title, '--body', task.description];
    if (params.draft) args.push('--draft');
    const created = await run('gh', args, project.path, GH_TIMEOUT_MS);
    const url = lastUrl(created.stdout);
    if (created.code === 0 && url) return { remote: remote.name, pushed: true, via: 'gh', url };
    // Run again (after more commits, say), gh refuses a second pull request and names the open one: the push
    // has updated it, so that is the answer.
    const open = /already exists/.test(created.stderr) ? lastUrl(created.stderr) : undefined;
    if (open) return { remote: remote.name, pushed: true, via: 'gh', url: open, existing: true };
    options.logger.warn('gh pr create failed; giving the compare URL instead', { code: created.code, stderr: created.stderr.slice(0, 2000) });
  }
  // No web page is known for a remote that is a local path or an unusual URL: an empty url says so.
  return { remote: remote.name, pushed: true, via: 'compare', url: compareUrl(remote.url, project.baseBranch, session.branch) ?? '' };
}

/** The last line of gh's output that is a web address. */
function lastUrl(output: string): string | undefined {
  return output.split('\n').reverse().find((line) => /^https?:\/\/\S+$/.test(line.trim()))?.trim();
}
