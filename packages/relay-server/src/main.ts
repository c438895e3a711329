#!/usr/bin/env node
// The vibe-relay executable as `vibe relay` and the daemon's embedded relay start it: `relayMain` in cli.ts.
import { relayMain } from './cli.js';

await relayMain(process.argv.slice(2));
