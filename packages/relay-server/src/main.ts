#!/usr/bin/env node
// The vibe-relay executable: runs the CLI and turns its failures into a line on stderr and an exit code.
import { RelayUsageError, runRelayCli } from './cli.js';

try {
  await runRelayCli(process.argv.slice(2));
  process.exit(0);
} catch (error) {
  if (error instanceof RelayUsageError) {
    process.stderr.write(`vibe-relay: ${error.message}\nRun vibe-relay --help for the options.\n`);
    process.exit(2);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOENT') {
    process.stderr.write(`vibe-relay: ${(error as Error).message}\n`);
  } else {
    process.stderr.write(`vibe-relay: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
}
