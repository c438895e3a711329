// How doctor's results read on a terminal: one line per check, a fix hint under each warn or fail.
import type { Palette } from '../terminal.js';
import type { CheckResult, CheckStatus } from './checks.js';

export function formatChecks(results: readonly CheckResult[], colors: Palette): string[] {
  const style: Record<CheckStatus, (text: string) => string> = { pass: colors.green, warn: colors.yellow, fail: colors.red };
  const nameWidth = Math.max(...results.map((result) => result.name.length));
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${style[result.status](result.status)}  ${result.name.padEnd(nameWidth)}  ${result.detail}`);
    if (result.hint && result.status !== 'pass') lines.push(`      ${' '.repeat(nameWidth)}  ${colors.dim(`fix: ${result.hint}`)}`);
  }
  return lines;
}

export function summarise(results: readonly CheckResult[]): string {
  const count = (status: CheckStatus): number => results.filter((result) => result.status === status).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(count('pass'), 'check')} passed, ${plural(count('warn'), 'warning')}, ${plural(count('fail'), 'failure')}`;
}
