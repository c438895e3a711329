// A CLI and the daemon it talks to on this machine can be different versions: after `npm i -g` upgraded the
// CLI, the daemon started by the old one keeps running until `vibe up` replaces it. Every command says so,
// once, in one line on stderr — never on stdout, which may be a `--json` document.
import { compareVersions } from '@vibe/protocol/node';
import { escapeText } from './escape.js';
import { say } from './output.js';
import { CLI_VERSION } from './version.js';

let told = false;

/** Commands that deal with the version themselves (`up` replaces the daemon, `down` stops it) stay quiet. */
export function quietVersionSkew(): void {
  told = true;
}

/** The line for a local daemon of version `daemon`, or undefined when it is this CLI's release. */
export function versionSkewLine(daemon: string, cli: string = CLI_VERSION): string | undefined {
  const order = compareVersions(daemon, cli);
  // Build metadata aside, the same release: nothing to do, so nothing to say.
  if (order === 0) return undefined;
  const versions = `the running daemon is vibe ${escapeText(daemon)}, this vibe is ${escapeText(cli)}`;
  if (order > 0) return `${versions}: upgrade this vibe (npm i -g @vibe/cli), or restart the daemon with this one (vibe down && vibe up)`;
  return `${versions}: \`vibe up\` replaces the daemon in place (every session keeps running)`;
}

/** Says, once per command, that the local daemon is another version. */
export function noticeVersionSkew(daemon: string): void {
  if (told) return;
  told = true;
  const line = versionSkewLine(daemon);
  if (line) say(`vibe: ${line}`);
}
