// `vibe task review ID "comment"`: review feedback to the attempt's agent, restarting it if it has exited.
import { LIMITS } from '@vibe/protocol';
import { attemptRef, type AttemptOptions } from '../attempt-ref.js';
import { withDaemon } from '../daemon-connection.js';
import { UsageError } from '../errors.js';
import { printJson, say } from '../output.js';
import { MAX_DESCRIPTION_BYTES, readBoundedText, type TextInput } from '../stdin.js';
import { longerThan } from '../task-text.js';

export interface TaskReviewOptions extends AttemptOptions {
  json?: boolean;
}

export async function taskReview(id: string, comment: string, options: TaskReviewOptions): Promise<void> {
  const ref = attemptRef(id, options);
  const text = await commentValue(comment);
  const result = await withDaemon(({ client }) => client.request('task.review', { ...ref, comment: text }));
  if (options.json) printJson(result);
  else say(result.delivered === 'sent' ? 'sent to the agent' : 'restarted the agent with your feedback');
}

/** The comment, or standard input for `-` (one trailing newline dropped), within the description limit. */
export async function commentValue(comment: string, input: TextInput = process.stdin): Promise<string> {
  let text = comment;
  if (comment === '-') {
    if (input.isTTY) say('reading the comment from the terminal; end it with Ctrl-D');
    const read = await readBoundedText(input, MAX_DESCRIPTION_BYTES, 'the comment on standard input');
    if (read === undefined) throw tooLong();
    text = read.replace(/\r?\n$/, '');
  }
  if (text.trim() === '') throw new UsageError('the review comment is empty');
  if (longerThan(text, LIMITS.descriptionMax)) throw tooLong();
  return text;
}

function tooLong(): UsageError {
  return new UsageError(`the review comment is longer than ${LIMITS.descriptionMax} characters`);
}
