// Where output goes: data to stdout, messages for people to stderr, `--json` as exactly one document.

/** Writes one line of data to stdout. */
export function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Writes lines of data to stdout in one write. */
export function printLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

/** The whole of stdout for a `--json` run. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A message for the person at the terminal (progress, confirmations, hints): stderr, never stdout. */
export function say(message: string): void {
  process.stderr.write(`${message}\n`);
}
