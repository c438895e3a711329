// Puts the daemon's and the relay's builds inside the CLI's: dist/daemon/ and dist/relay/. The CLI starts
// them from there, in a checkout as in an installed package, so `npm i -g` of this one package is the whole
// of vibe (docs/architecture.md, "One installable package").
import { cpSync, existsSync, rmSync } from 'node:fs';

const parts = [
  ['../daemon/dist/', 'dist/daemon/'],
  ['../relay-server/dist/', 'dist/relay/'],
];
for (const [from, to] of parts) {
  const source = new URL(`../${from}`, import.meta.url);
  const target = new URL(`../${to}`, import.meta.url);
  if (!existsSync(new URL('main.js', source))) {
    process.stderr.write(`copy-parts: ${from} is not built; the workspaces build in order (protocol, daemon, relay-server, cli)\n`);
    process.exit(1);
  }
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
}
