// Reads all of standard input, for `--description -`.
import { say } from './output.js';

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) say('reading the description from the terminal; end it with Ctrl-D');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The description option's value: `-` means stdin; a trailing newline from `echo` or a heredoc is dropped. */
export async function descriptionValue(value: string | undefined): Promise<string | undefined> {
  if (value !== '-') return value;
  return (await readStdin()).replace(/\r?\n$/, '');
}
