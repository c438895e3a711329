// The permission hook program's two ends: what it reads of an agent's request, and what it prints back in each
// agent's terms — allow, deny with the reason, or (no answer) whatever hands the question to the agent's dialog.
import { describe, expect, it } from 'vitest';
import { LIMITS, type Approval } from '@vibe/protocol';
import { askedTool, decisionOutput, waitForAnswer, withinDeadline } from './approval-hook.js';

const answered = (state: Approval['state'], reason: string | null = null): Pick<Approval, 'id' | 'state' | 'answeredBy' | 'reason'> => ({ id: '4', state, answeredBy: 'phone', reason });

describe('askedTool', () => {
  it('quotes the exact command, file or URL first, then the rest of the input', () => {
    expect(askedTool({ tool_name: 'Bash', tool_input: { command: 'rm -rf build' } })).toEqual({ tool: 'Bash', detail: 'rm -rf build' });
    expect(askedTool({ tool_name: 'Bash', tool_input: { command: 'npm test', description: 'Run the tests' } })).toEqual({ tool: 'Bash', detail: 'npm test\n{\n "description": "Run the tests"\n}' });
    expect(askedTool({ tool_name: 'write_file', tool_input: { file_path: '/w/hello.txt', content: 'hi\n' } }).detail).toBe('/w/hello.txt\n{\n "content": "hi\\n"\n}');
    expect(askedTool({ tool_name: 'WebFetch', tool_input: { url: 'https://example.com', prompt: 'read it' } }).detail).toMatch(/^https:\/\/example\.com\n/);
    expect(askedTool({ tool_name: 'mcp__x__y', tool_input: { a: 1 } })).toEqual({ tool: 'mcp__x__y', detail: '{\n "a": 1\n}' });
  });

  it('never fails on what an agent sends: no name, no input, not an object', () => {
    expect(askedTool({})).toEqual({ tool: 'unknown tool', detail: '' });
    expect(askedTool('nonsense')).toEqual({ tool: 'unknown tool', detail: '' });
    expect(askedTool({ tool_name: 'Bash', tool_input: [1, 2] })).toEqual({ tool: 'Bash', detail: '' });
  });

  it('cuts a huge input at the protocol limit, marked as cut', () => {
    const { detail } = askedTool({ tool_name: 'Write', tool_input: { file_path: 'a', content: 'x'.repeat(LIMITS.approvalDetailMax * 2) } });
    expect([...detail]).toHaveLength(LIMITS.approvalDetailMax);
    expect(detail.endsWith('…')).toBe(true);
  });
});

describe('decisionOutput', () => {
  it("answers Claude Code and Codex with a PermissionRequest decision, the reason going with a deny", () => {
    for (const dialect of ['claude', 'codex'] as const) {
      expect(JSON.parse(decisionOutput(dialect, answered('allowed')))).toEqual({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'allow' } } });
      expect(JSON.parse(decisionOutput(dialect, answered('denied', 'not there')))).toEqual({
        hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: 'not there' } },
      });
      expect(JSON.parse(decisionOutput(dialect, answered('denied'))).hookSpecificOutput.decision.message).toBe('denied in vibe by phone');
      // No decision: the agent's own dialog (already on screen beside the hook) decides.
      expect(decisionOutput(dialect, answered('cancelled'))).toBe('');
      expect(decisionOutput(dialect, undefined)).toBe('');
    }
  });

  it('answers Gemini CLI with allow or deny, and "ask" (its own dialog) when there is no answer', () => {
    expect(JSON.parse(decisionOutput('gemini', answered('allowed')))).toEqual({ decision: 'allow' });
    expect(JSON.parse(decisionOutput('gemini', answered('denied', 'no')))).toEqual({ decision: 'deny', reason: 'no' });
    expect(JSON.parse(decisionOutput('gemini', answered('cancelled')))).toEqual({ decision: 'ask' });
    expect(JSON.parse(decisionOutput('gemini', undefined))).toEqual({ decision: 'ask' });
  });

  it('answers the plain dialect (the fake agent, custom agents) with the decision and reason', () => {
    expect(JSON.parse(decisionOutput('plain', answered('denied', 'why')))).toEqual({ approval: '4', decision: 'deny', reason: 'why' });
    expect(JSON.parse(decisionOutput('plain', undefined))).toEqual({ approval: null, decision: null, reason: null });
  });
});

describe('withinDeadline', () => {
  it('gives the answer that comes in time, and no answer once the deadline passed', async () => {
    expect(await withinDeadline(Promise.resolve('allowed'), 1000)).toBe('allowed');
    const never = new Promise<string>(() => {});
    const started = Date.now();
    expect(await withinDeadline(never, 50)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe('waitForAnswer', () => {
  it('gives up (no answer, so the agent asks on screen) when no daemon comes back', async () => {
    const started = Date.now();
    await expect(waitForAnswer({ socket: '/nonexistent/vibe.sock', session: 1, token: 't', asked: { tool: 'Bash', detail: 'ls' }, giveUpMs: 500 })).resolves.toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });
});
