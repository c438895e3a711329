// `vibe task pr ID`: pushes the attempt's branch and opens a pull request (gh), or gives the compare URL.
import { attemptRef, type AttemptOptions } from '../attempt-ref.js';
import { withDaemon } from '../daemon-connection.js';
import { escapeText } from '../escape.js';
import { printJson, printLine, say } from '../output.js';

export interface TaskPrOptions extends AttemptOptions {
  draft?: boolean;
  json?: boolean;
}

/** The URL alone on stdout, so `open $(vibe task pr 3)` works; how it got there on stderr. */
export async function taskPr(id: string, options: TaskPrOptions): Promise<void> {
  const ref = attemptRef(id, options);
  const result = await withDaemon(({ client }) => client.request('task.pr', { ...ref, ...(options.draft && { draft: true }) }));
  if (options.json) {
    printJson(result);
    return;
  }
  const remote = escapeText(result.remote);
  const pushed = result.pushed ? `pushed to ${remote}; ` : '';
  // No address (a remote that is a local path, an unknown host): nothing on stdout for `open $(…)` to open.
  if (result.url === '') {
    say(`${pushed}vibe knows no web page for that remote: open the pull request where it is hosted`);
    return;
  }
  printLine(escapeText(result.url));
  if (result.via === 'compare') say(`${pushed}open the pull request at the URL above`);
  else if (result.existing) say(`${pushed}its pull request was open already (gh)`);
  else say(`${pushed}opened a ${options.draft ? 'draft ' : ''}pull request with gh`);
}
