// The state a hook's command line reports: Codex's hidden title turn ends without saying the agent is idle.
import { describe, expect, it } from 'vitest';
import { reportedEvent } from './hook-events.js';

const notify = (inputs: string[]): string => JSON.stringify({ type: 'agent-turn-complete', 'thread-id': 't', 'turn-id': '1', 'input-messages': inputs, 'last-assistant-message': 'Fix login test' });

describe('reportedEvent', () => {
  it('reports the event named, with or without what the agent appended', () => {
    expect(reportedEvent(['working'])).toBe('working');
    expect(reportedEvent(['idle', notify(['Fix the failing login test'])])).toBe('idle');
    expect(reportedEvent(['idle', 'not json'])).toBe('idle');
    expect(reportedEvent([])).toBeUndefined();
  });

  it("does not report the end of Codex's hidden turn that names the thread", () => {
    const title = 'Generate a concise, single-line task title for the following request. Reply with the title only.\n\nFix it';
    expect(reportedEvent(['idle', notify([title])])).toBeUndefined();
    // A user's turn that mentions such a prompt among its inputs is still a turn of the agent's.
    expect(reportedEvent(['idle', notify(['Fix it', title])])).toBe('idle');
  });
});
