#!/usr/bin/env node
// The `vibe-relay` command npm links (and `npx @vibe/relay-server` runs): the built relay, told to stop when
// npm's shell goes away. A file of its own because npm links a bin only if its file exists at install time.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('vibe-relay: not built yet: run `npm run build` in the vibe checkout first\n');
  process.exit(1);
}
const { relayMain } = await import(cli.href);
// npm sets npm_lifecycle_event for everything it runs through its shell (npx, npm exec, npm run).
await relayMain(process.argv.slice(2), { stopWithParent: process.env.npm_lifecycle_event !== undefined });
