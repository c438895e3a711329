// What a state hook's command line reports. Agents call `hook.js <working|waiting|idle> [their own argument]`;
// Codex appends its notify JSON to `idle`. Codex 0.171 also ends a hidden turn of its own — the one that names
// the thread, run beside the user's turn — with the same `agent-turn-complete` notify: that one says nothing
// about the agent's state (the real turn may still be running, or be waiting on a dialog), so it is not reported.

const TITLE_PROMPT = /^Generate a concise, single-line (task|thread) title/i;

/** The state event to report, or undefined when there is none. */
export function reportedEvent(argv: readonly string[]): string | undefined {
  const [event, appended] = argv;
  if (!event) return undefined;
  if (event === 'idle' && appended !== undefined && isTitleTurn(appended)) return undefined;
  return event;
}

function isTitleTurn(notify: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(notify);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const { type, 'input-messages': inputs } = parsed as { type?: unknown; 'input-messages'?: unknown };
  return type === 'agent-turn-complete' && Array.isArray(inputs) && inputs.length > 0 && inputs.every((input) => typeof input === 'string' && TITLE_PROMPT.test(input));
}
