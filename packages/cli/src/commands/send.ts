// `vibe send ID "text" [--enter]`: types into a session, so a script or another agent can message an agent.
import { withDaemon } from '../daemon-connection.js';
import { escapeText } from '../escape.js';
import { printJson, say } from '../output.js';
import { sendArguments, sendText } from '../send-text.js';
import { sessionTarget, targetName } from '../session-ref.js';

export interface SendOptions {
  enter?: boolean;
  session?: string;
  project?: string;
  json?: boolean;
}

export async function send(first: string, second: string | undefined, options: SendOptions): Promise<void> {
  const args = sendArguments(first, second, options);
  const target = sessionTarget(args.id, options);
  const text = await sendText(args.text);
  const enter = options.enter === true;
  await withDaemon(({ client }) => client.request('session.send', { ...target, text, ...(enter && { enter }) }));
  const characters = [...text].length;
  if (options.json) printJson({ sent: true, characters, enter });
  else say(`sent ${characters} character${characters === 1 ? '' : 's'}${enter ? ' and Enter' : ''} to ${escapeText(targetName(target))}`);
}
