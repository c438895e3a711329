// The CLI's error classes and the one mapping from any thrown error to what the user sees and the exit code.
import { CommanderError } from 'commander';
import { ProtocolError } from '@vibe/protocol';
import { DaemonUnavailableError } from '@vibe/protocol/node';
import { escapeText } from './escape.js';

export const EXIT = {
  ok: 0,
  failure: 1,
  /** Bad flags or arguments, not in a git repository, parameters the daemon refused. */
  usage: 2,
  /** BSD sysexits EX_UNAVAILABLE: the daemon is not running, or not answering. */
  unavailable: 69,
  /** 128 + SIGINT. */
  interrupted: 130,
} as const;

/** The command line was wrong: exit 2 with one line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the CLI understands: exit 1 with one line and no stack. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const DAEMON_NOT_RUNNING = 'daemon not running — run `vibe up`';

/** A daemon accepted the connection but never completed the handshake: `vibe up` alone would not help. */
export function daemonNotAnswering(socketPath: string | undefined): string {
  return `the daemon is not answering${socketPath ? ` on ${socketPath}` : ''} — run \`vibe down\`, then \`vibe up\``;
}

/** Daemon errors that mean the request itself was wrong, so they count as usage errors. */
const USAGE_CODES = new Set<string>(['invalid_params', 'project_required']);

export interface ErrorReport {
  exitCode: number;
  /** Lines for stderr, without trailing newlines. Empty when the error was already shown. */
  lines: string[];
}

/**
 * Decides the exit code and the stderr lines for anything a command threw. Every line is escaped: messages
 * quote what users typed and what the daemon stored, which must not drive the terminal.
 */
export function describeError(error: unknown, options: { debug: boolean }): ErrorReport {
  const report = rawReport(error, options);
  return { exitCode: report.exitCode, lines: report.lines.map((line) => escapeText(line)) };
}

function rawReport(error: unknown, options: { debug: boolean }): ErrorReport {
  const withDebug = (report: ErrorReport): ErrorReport =>
    options.debug && error instanceof Error && error.stack ? { ...report, lines: [...report.lines, ...detail(error)] } : report;

  if (error instanceof CommanderError) {
    // Help and --version were printed already; commander reports them as "errors" only to unwind.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return { exitCode: EXIT.ok, lines: [] };
    if (error.code === 'commander.help') return { exitCode: error.exitCode === 0 ? EXIT.ok : EXIT.usage, lines: [] };
    return { exitCode: EXIT.usage, lines: [`vibe: ${commanderMessage(error.message)}`] };
  }
  if (error instanceof UsageError) return withDebug({ exitCode: EXIT.usage, lines: messageLines(error.message) });
  if (error instanceof CliError) return withDebug({ exitCode: error.exitCode, lines: messageLines(error.message) });
  if (error instanceof DaemonUnavailableError) {
    const line = error.reason === 'unresponsive' ? daemonNotAnswering(error.socketPath) : DAEMON_NOT_RUNNING;
    return withDebug({ exitCode: EXIT.unavailable, lines: [`vibe: ${line}`] });
  }
  if (error instanceof ProtocolError) {
    const exitCode = USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failure;
    const lines = messageLines(error.message);
    if (error.code === 'invalid_params') lines.push(...issueLines(error.data));
    if (options.debug) lines.push(`  (code ${error.code})`);
    return withDebug({ exitCode, lines });
  }
  const lines = error instanceof Error ? [`vibe: ${error.message || error.name}`, ...detail(error)] : [`vibe: ${String(error)}`];
  return { exitCode: EXIT.failure, lines };
}

/**
 * A message as lines: the first after "vibe: ", the rest as they are. Each is escaped separately later, so
 * a message that lists things (what `task rm` would lose) keeps its line breaks and nothing else.
 */
function messageLines(message: string): string[] {
  const [first = '', ...rest] = message.replace(/\n+$/, '').split(/\r?\n/);
  return [`vibe: ${first}`, ...rest];
}

/** "error: unknown option '--jsn'\n(Did you mean --json?)" → "unknown option '--jsn' (Did you mean --json?)". */
function commanderMessage(message: string): string {
  return message
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
}

/** The issue paths of an invalid_params error, one per line, beyond the first (already in the message). */
function issueLines(data: unknown): string[] {
  const issues = (data as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues) || issues.length < 2) return [];
  return issues.map((issue: { path?: unknown; message?: unknown }) => {
    const path = typeof issue.path === 'string' && issue.path ? issue.path : '(params)';
    return `  ${path}: ${typeof issue.message === 'string' ? issue.message : 'invalid'}`;
  });
}

function detail(error: Error): string[] {
  const lines = (error.stack ?? '').split('\n').slice(1);
  let cause = error.cause;
  while (cause instanceof Error) {
    lines.push(`  caused by: ${cause.stack ?? cause.message}`);
    cause = cause.cause;
  }
  return lines;
}
