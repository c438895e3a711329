// `vibe --version`: this vibe's version and, when one answers on this machine, the running daemon's.
import { ProtocolError } from '@vibe/protocol';
import { DaemonUnavailableError } from '@vibe/protocol/node';
import { connect } from '../daemon-connection.js';
import { escapeText } from '../escape.js';
import { printLines } from '../output.js';
import { vibePaths } from '../paths.js';
import { CLI_VERSION } from '../version.js';
import { quietVersionSkew, versionSkewLine } from '../version-skew.js';

export async function version(): Promise<void> {
  quietVersionSkew();
  const lines = [`vibe ${CLI_VERSION}`];
  try {
    const { client, welcome } = await connect({ socketPath: vibePaths().socket, timeoutMs: 2_000 });
    client.close();
    const { version: daemon, pid } = welcome.daemon;
    const skew = versionSkewLine(daemon);
    lines.push(`daemon ${escapeText(daemon)} (pid ${pid})${skew ? ` — ${skew}` : ''}`);
  } catch (error) {
    if (error instanceof ProtocolError && error.code === 'unsupported_version') lines.push('daemon running, but it speaks another protocol version — `vibe down`, then `vibe up`');
    else if (error instanceof DaemonUnavailableError) lines.push('daemon not running');
    else throw error;
  }
  printLines(lines);
}
