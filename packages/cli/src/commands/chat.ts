// `vibe chat [MESSAGE]`: posts to the project's chat, or with no message prints its newest messages — over
// the socket or a link alike, signed by whoever the connection is.
import { LIMITS } from '@vibe/protocol';
import { checkChatText, formatChat } from '../chat-format.js';
import { currentDirectory } from '../cwd.js';
import { withDaemon } from '../daemon-connection.js';
import { UsageError } from '../errors.js';
import { printJson, printLines, say } from '../output.js';
import { readBoundedText, type TextInput } from '../stdin.js';
import { colorEnabled, palette } from '../terminal.js';

export interface ChatOptions {
  project?: string;
  limit?: string;
  json?: boolean;
}

export async function chat(message: string | undefined, options: ChatOptions, input: TextInput = process.stdin): Promise<void> {
  const selector = { cwd: currentDirectory(), ...(options.project !== undefined && { project: options.project }) };
  if (message === undefined) return list(selector, options);
  if (options.limit !== undefined) throw new UsageError('--limit is for listing; drop it to post');
  const text = checkChatText(message === '-' ? await fromStdin(input) : message);
  const posted = await withDaemon(({ client }) => client.request('chat.post', { ...selector, text }));
  if (options.json) printJson(posted);
  else say(`posted to the chat of ${posted.message.project}`);
}

async function list(selector: { cwd: string; project?: string }, options: ChatOptions): Promise<void> {
  const limit = options.limit === undefined ? undefined : chatLimit(options.limit);
  const result = await withDaemon(({ client }) => client.request('chat.list', { ...selector, ...(limit !== undefined && { limit }) }));
  if (options.json) return printJson(result);
  if (result.messages.length === 0) return say('no messages yet — `vibe chat "…"` posts one');
  printLines(formatChat(result.messages, palette(colorEnabled(process.stdout))));
}

function chatLimit(text: string): number {
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > LIMITS.chatListMax) throw new UsageError(`--limit takes a number from 1 to ${LIMITS.chatListMax}`);
  return limit;
}

/** `-`: the message from standard input, one trailing newline (echo's, a heredoc's) dropped. */
async function fromStdin(input: TextInput): Promise<string> {
  if (input.isTTY) say('reading the message from the terminal; end it with Ctrl-D');
  const text = await readBoundedText(input, LIMITS.chatTextMax * 4 + 2, 'the message on standard input');
  if (text === undefined) throw new UsageError(`the message is longer than ${LIMITS.chatTextMax} characters`);
  return text.replace(/\r?\n$/, '');
}
