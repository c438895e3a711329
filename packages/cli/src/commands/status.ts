// `vibe status`: is the daemon up, since when, where, its relay, and how many tasks of each status per project.
import { activeLink, withDaemon } from '../daemon-connection.js';
import { printJson, printLines } from '../output.js';
import { formatDaemonStatus } from '../status-format.js';
import { stdoutPalette } from '../terminal.js';
import { CLI_VERSION } from '../version.js';
import { quietVersionSkew } from '../version-skew.js';

export interface StatusOptions {
  json?: boolean;
}

export async function status(options: StatusOptions): Promise<void> {
  // The versions are part of what status prints, not a separate notice.
  quietVersionSkew();
  const result = await withDaemon(async ({ client }) => {
    const daemon = await client.request('daemon.status', {});
    // A daemon older than the relay has no relay.status: no relay line then.
    const relay = await client.request('relay.status', {}).then((reply) => reply.relay, () => undefined);
    return { ...daemon, ...(relay && { relay }) };
  });
  if (options.json) printJson({ ...result, cliVersion: CLI_VERSION });
  // Beside a daemon behind a link, this vibe's version says nothing the user could act on.
  else printLines(formatDaemonStatus(result, stdoutPalette(), activeLink() ? undefined : CLI_VERSION));
}
