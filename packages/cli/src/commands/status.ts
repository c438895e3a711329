// `vibe status`: is the daemon up, since when, where, and how many tasks of each status per project.
import { withDaemon } from '../daemon-connection.js';
import { printJson, printLines } from '../output.js';
import { formatDaemonStatus } from '../status-format.js';
import { stdoutPalette } from '../terminal.js';

export interface StatusOptions {
  json?: boolean;
}

export async function status(options: StatusOptions): Promise<void> {
  const result = await withDaemon(({ client }) => client.request('daemon.status', {}));
  if (options.json) printJson(result);
  else printLines(formatDaemonStatus(result, stdoutPalette()));
}
