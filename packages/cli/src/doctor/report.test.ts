// How doctor's results are printed: one line per check, fix hints, colour and the summary.
import { describe, expect, it } from 'vitest';
import { palette } from '../terminal.js';
import { formatChecks, summarise } from './report.js';
import type { CheckResult } from './checks.js';

const results: CheckResult[] = [
  { name: 'node', status: 'pass', detail: 'v20.20.2' },
  { name: 'tmux', status: 'warn', detail: 'not found on PATH', hint: 'install tmux' },
  { name: 'config', status: 'fail', detail: 'bad JSON', hint: 'fix the file' },
];

describe('formatChecks', () => {
  it('prints one line per check and a fix hint under each warn or fail', () => {
    expect(formatChecks(results, palette(false))).toEqual([
      'pass  node    v20.20.2',
      'warn  tmux    not found on PATH',
      '              fix: install tmux',
      'fail  config  bad JSON',
      '              fix: fix the file',
    ]);
  });

  it('colours the verdicts on a colour terminal', () => {
    const lines = formatChecks(results, palette(true));
    expect(lines[0]).toMatch(/^\x1b\[32mpass/);
    expect(lines[1]).toMatch(/^\x1b\[33mwarn/);
  });
});

describe('summarise', () => {
  it('counts passes, warnings and failures', () => {
    expect(summarise(results)).toBe('1 check passed, 1 warning, 1 failure');
  });
});
