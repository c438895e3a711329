// `vibe logs`: the daemon's log, rendered for people (or as JSON), optionally followed.
//
// Ctrl-C while following ends the command normally (exit 0): following only ever stops that way, so it is
// the expected end, not a failure. Ctrl-C at any other moment exits 130 as usual.
import { CliError, UsageError } from '../errors.js';
import { escapeText } from '../escape.js';
import { interruptSignal } from '../interrupt.js';
import { followFile, readLastLines } from '../logs/log-file.js';
import { formatLogEntry, parseLogLine } from '../logs/log-format.js';
import { printJson, printLine, printLines, say } from '../output.js';
import { vibePaths } from '../paths.js';
import { stdoutPalette } from '../terminal.js';
import { requireLocal } from '../daemon-connection.js';

export interface LogsOptions {
  follow?: boolean;
  lines?: string;
  json?: boolean;
}

export async function logs(options: LogsOptions): Promise<void> {
  requireLocal('logs');
  const count = parseCount(options.lines ?? '50');
  const { logFile } = vibePaths();
  const tail = await readLastLines(logFile, count).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new CliError(`no daemon log yet at ${escapeText(logFile)} — it is written once \`vibe up\` has started the daemon`);
    throw error;
  });
  const colors = stdoutPalette();
  const render = (line: string): string => formatLogEntry(parseLogLine(line), colors);
  if (!options.follow) {
    if (options.json) printJson(tail.lines.map(parseLogLine));
    else printLines(tail.lines.map(render));
    return;
  }
  // Following: one JSON object per line with --json, since the document never ends.
  const emit = options.json ? (line: string) => printLine(JSON.stringify(parseLogLine(line))) : (line: string) => printLine(render(line));
  tail.lines.forEach(emit);
  await followFile(logFile, {
    from: tail.end,
    signal: interruptSignal(),
    onLine: emit,
    onRestart: () => say(`vibe: ${escapeText(logFile)} was truncated or replaced; reading it from the start`),
  });
}

function parseCount(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`-n expects a number of lines, got ${JSON.stringify(text)}`);
  return Number(text);
}
