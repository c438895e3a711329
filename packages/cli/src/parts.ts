// Where the CLI finds the daemon and the relay it starts: inside its own build, dist/daemon/ and dist/relay/
// (copied there by scripts/copy-parts.mjs), the same in a checkout and in an installed package. This module
// sits directly in src/ (and its code in a chunk directly in dist/), so `../dist/` names the build from both.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError } from './errors.js';

/** The daemon's entry point. */
export function daemonMainPath(): string {
  return builtPart('daemon/main.js', 'daemon');
}

/** The relay server's entry point (`vibe relay`, and the daemon's embedded relay). */
export function relayMainPath(): string {
  return builtPart('relay/main.js', 'relay');
}

function builtPart(file: string, name: string): string {
  const path = fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
  if (!existsSync(path)) throw new CliError(`this vibe has no ${name} (${path} is missing): run \`npm run build\` in the vibe checkout, or reinstall vibe`);
  return path;
}
