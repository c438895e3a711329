// `vibe task pr ID`: pushes the attempt's branch (to the user's fork, on a fork checkout) and opens a pull
// request (gh) in the upstream repository, or gives the compare URL.
import { REPO_NAME_PATTERN } from '@vibe/protocol';
import { attemptRef, type AttemptOptions } from '../attempt-ref.js';
import { withDaemon } from '../daemon-connection.js';
import { UsageError } from '../errors.js';
import { escapeText } from '../escape.js';
import { printJson, printLine, say } from '../output.js';

export interface TaskPrOptions extends AttemptOptions {
  draft?: boolean;
  remote?: string;
  repo?: string;
  json?: boolean;
}

/** The URL alone on stdout, so `open $(vibe task pr 3)` works; how it got there on stderr. */
export async function taskPr(id: string, options: TaskPrOptions): Promise<void> {
  const ref = attemptRef(id, options);
  const remote = options.remote?.trim();
  if (remote !== undefined && (remote === '' || remote.startsWith('-') || /\s/.test(remote))) {
    throw new UsageError(`--remote expects the name of a git remote, like origin, got ${JSON.stringify(options.remote)}`);
  }
  const repo = options.repo?.trim().replace(/^https?:\/\//, '');
  if (repo !== undefined && !REPO_NAME_PATTERN.test(repo)) {
    throw new UsageError(`--repo expects OWNER/NAME or HOST/OWNER/NAME, like acme/app, got ${JSON.stringify(options.repo)}`);
  }
  const params = { ...ref, ...(options.draft && { draft: true }), ...(remote !== undefined && { remote }), ...(repo !== undefined && { repo }) };
  const result = await withDaemon(({ client }) => client.request('task.pr', params));
  if (options.json) {
    printJson(result);
    return;
  }
  const pushed = result.pushed ? `pushed to ${escapeText(result.remote)}; ` : '';
  const into = result.repo === undefined ? '' : ` in ${escapeText(result.repo)}`;
  // No address (a remote that is a local path, an unknown host): nothing on stdout for `open $(…)` to open.
  if (result.url === '') {
    say(`${pushed}vibe knows no web page for that remote: open the pull request where it is hosted`);
    return;
  }
  printLine(escapeText(result.url));
  if (result.via === 'compare') say(`${pushed}open the pull request at the URL above`);
  else if (result.existing) say(`${pushed}its pull request${into} was open already (gh)`);
  else say(`${pushed}opened a ${options.draft ? 'draft ' : ''}pull request${into} with gh`);
}
