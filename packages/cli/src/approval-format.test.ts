// How approvals read on a terminal: the table, what `vibe approve` prints, the task log's lines — and an
// agent's command that carries terminal escapes shown, never obeyed.
import { describe, expect, it } from 'vitest';
import type { Approval } from '@vibe/protocol';
import { approvalLogLine, approvalOutcome, formatApprovalDetails, formatApprovalTable } from './approval-format.js';
import { palette } from './terminal.js';

const NOW = Date.parse('2026-01-02T03:10:00.000Z');

function approval(overrides: Partial<Approval> = {}): Approval {
  return {
    id: '7',
    project: 'app',
    taskNumber: 3,
    attempt: 1,
    session: 4,
    agent: 'claude',
    tool: 'Bash',
    detail: 'rm -rf build\n{\n "description": "clean"\n}',
    options: ['allow', 'deny'],
    via: 'hook',
    state: 'pending',
    requestedAt: '2026-01-02T03:08:00.000Z',
    answeredAt: null,
    answeredBy: null,
    reason: null,
    ...overrides,
  };
}

const colors = palette(false);

describe('the approvals table', () => {
  it('shows what waits: id, task, agent, tool and the first line of the detail', () => {
    expect(formatApprovalTable([approval()], { colors, answered: false, now: NOW })).toEqual([
      'ID  TASK  AGENT   TOOL  DETAIL          ASKED',
      ' 7  #3    claude  Bash  rm -rf build …  2m ago',
    ]);
  });

  it('names the project when approvals of several are listed, and who answered with --all', () => {
    const lines = formatApprovalTable(
      [approval({ state: 'denied', answeredBy: 'phone' }), approval({ id: '8', project: 'web', via: 'screen', detail: 'Allow command? (y/n)' })],
      { colors, answered: true, now: NOW },
    );
    expect(lines[0]).toMatch(/^ID\s+TASK\s+AGENT\s+TOOL\s+DETAIL\s+ASKED\s+STATE\s+BY$/);
    expect(lines[1]).toMatch(/^ 7\s+app#3\s+claude\s+Bash\s+rm -rf build …\s+2m ago\s+denied\s+phone$/);
    expect(lines[2]).toMatch(/^ 8\s+web#3\s+claude\s+dialog \(on screen\)\s+Allow command\? \(y\/n\)\s+2m ago\s+pending\s+-$/);
  });

  it('shows escapes in a command as text, so an agent cannot drive the terminal through it', () => {
    const [, row] = formatApprovalTable([approval({ detail: 'echo \x1b]52;c;cHduZWQ=\x07 \x1b[2J' })], { colors, answered: false, now: NOW });
    expect(row).toContain('echo \\x1b]52;c;cHduZWQ=\\x07 \\x1b[2J');
    expect(row).not.toContain('\x1b');
  });
});

describe('details in full', () => {
  it('prints every line of a detail the table cuts, escaped, and nothing for one it shows whole', () => {
    const hidden = approval({ id: '7', detail: 'echo ok &&\nrm -rf ~ \u001b[2J' });
    const short = approval({ id: '8', detail: 'ls' });
    expect(formatApprovalDetails([short, hidden])).toEqual(['', 'approval 7 (app#3 Bash) in full:', '    echo ok &&', '    rm -rf ~ \\x1b[2J']);
    expect(formatApprovalDetails([short])).toEqual([]);
    const long = formatApprovalDetails([approval({ detail: Array.from({ length: 45 }, (_, i) => `line ${i + 1}`).join('\n') })]);
    expect(long.slice(-2)).toEqual(['    line 40', '    … 5 more lines (`vibe approvals --json` has them all)']);
  });
});

describe('one approval in words', () => {
  it('says how vibe approve and vibe deny settled it', () => {
    expect(approvalOutcome(approval({ state: 'allowed', answeredBy: 'local' }))).toBe('allowed approval 7 (app#3 Bash: rm -rf build …)');
    expect(approvalOutcome(approval({ state: 'denied', reason: 'not today' }))).toBe('denied approval 7 (app#3 Bash: rm -rf build …) — not today');
  });

  it('gives the task log a line for the request and one for the answer, with who answered', () => {
    expect(approvalLogLine(approval(), true)).toBe('approval 7 asked (hook) Bash: rm -rf build …');
    expect(approvalLogLine(approval({ via: 'screen', tool: 'dialog', detail: 'Allow?' }), true)).toBe('approval 7 asked (on screen) dialog: Allow?');
    expect(approvalLogLine(approval({ state: 'denied', answeredBy: 'laptop', reason: 'no' }), false)).toBe('approval 7 denied by laptop — no');
    expect(approvalLogLine(approval({ state: 'cancelled', reason: 'the agent exited' }), false)).toBe('approval 7 cancelled — the agent exited');
  });
});
