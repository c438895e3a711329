// How an agent's state reads in listings: a short badge, with `waiting` (the agent needs the user) standing out.
import type { AgentState } from '@vibe/protocol';
import type { Palette, Style } from './terminal.js';

export interface StateOf {
  state: AgentState;
  exitCode: number | null;
}

/** "working", "waiting", "idle", "starting", "exited 0", "exited" when the code is unknown. */
export function stateText(session: StateOf): string {
  if (session.state !== 'exited') return session.state;
  return session.exitCode === null ? 'exited' : `exited ${session.exitCode}`;
}

/**
 * Colour per state. Waiting is bold red: it is the one state that blocks on the person reading the table.
 * A non-zero exit is red; a clean one fades, like a finished line in a log.
 */
export function stateStyle(session: StateOf, colors: Palette): Style {
  switch (session.state) {
    case 'starting':
      return colors.dim;
    case 'working':
      return colors.cyan;
    case 'waiting':
      return (text) => colors.bold(colors.red(text));
    case 'idle':
      return colors.green;
    case 'exited':
      return session.exitCode === 0 ? colors.dim : colors.red;
  }
}

/** The badge: the state's text in its style. */
export function stateBadge(session: StateOf, colors: Palette): string {
  return stateStyle(session, colors)(stateText(session));
}
