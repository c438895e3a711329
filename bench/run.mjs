// `npm run bench`: runs every suite, prints one table and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { printTable, root } from './lib.mjs';
import * as approvals from './suites/approvals.mjs';
import * as attach from './suites/attach.mjs';
import * as board from './suites/board.mjs';
import * as daemonSessions from './suites/daemon-sessions.mjs';
import * as foundation from './suites/foundation.mjs';
import * as install from './suites/install.mjs';
import * as relay from './suites/relay.mjs';
import * as sessions from './suites/sessions.mjs';
import * as web from './suites/web.mjs';

const suites = { foundation, sessions, 'daemon-sessions': daemonSessions, board, attach, relay, install, web, approvals };
const only = process.argv.slice(2);

const rows = [];
for (const [name, suite] of Object.entries(suites)) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  for (const row of await suite.run()) rows.push({ suite: name, ...row });
}

printTable(rows);
const result = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  rows,
};
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`bench: wrote ${join(dir, 'latest.json')}\n`);
if (rows.some((row) => row.ok === false)) process.exitCode = 1;
