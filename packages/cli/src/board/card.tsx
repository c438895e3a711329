// One task on the board: id and title (and how many watch its session), then agent, attempts and the agent's state
// with the time since its last activity.
import { Box, Text } from 'ink';
import type { Approval, Task, Viewer } from '@vibe/protocol';
import { stateText } from '../agent-state-format.js';
import { humaniseSeconds } from '../duration.js';
import { escapeText } from '../escape.js';
import { textWidth, truncateToWidth } from '../text-width.js';
import { watchMark } from './presence.js';
import { stateColor, type Paint } from './theme.js';

export const CARD_HEIGHT = 2;

export interface CardProps {
  task: Task;
  width: number;
  selected: boolean;
  now: number;
  paint: Paint;
  /** A pending approval of the task's agent: the card says it asks, before anything else. */
  approval?: Approval | undefined;
  /** Who watches the task's session (protocol 1.5): counted at the end of the title line, ✎ while one types. */
  viewers?: readonly Viewer[];
}

/** "3s", "12m", "2h": the largest unit only, as a card has no room for more. */
export function shortElapsed(since: string, now: number): string {
  const then = Date.parse(since);
  if (Number.isNaN(then)) return '';
  return humaniseSeconds((now - then) / 1000).split(' ')[0]!;
}

export function Card({ task, width, selected, now, paint, approval, viewers = [] }: CardProps) {
  const mark = watchMark(viewers);
  const markWidth = mark === '' ? 0 : textWidth(mark) + 1;
  const title = truncateToWidth(`${selected ? '›' : ' '}#${task.number} ${escapeText(task.title)}`, Math.max(0, width - markWidth));
  const session = task.session;
  const agent = escapeText(session?.agent ?? task.agent ?? 'default');
  const attempts = task.attempts ?? session?.attempt ?? 0;
  // The state comes first: on a narrow column it is what must stay readable, the agent's name is cut instead.
  const asks = approval ? ` ⚑ asks ${escapeText(approval.tool)}` : '';
  const badge = asks || (session ? ` ${stateText(session)} ${shortElapsed(session.lastActivityAt, now)}` : '');
  const waiting = session?.state === 'waiting' || approval !== undefined;
  const rest = truncateToWidth(`${session ? ' ·' : ' '} ${agent} ×${attempts}`, Math.max(0, width - textWidth(badge)));
  return (
    <Box flexDirection="column" width={width}>
      <Text inverse={selected} bold={selected} wrap="truncate">
        {title.padEnd(width - markWidth)}
        {mark !== '' && <Text color={paint('cyan')}>{` ${mark}`}</Text>}
      </Text>
      <Text wrap="truncate">
        {session && (
          <Text color={paint(approval ? 'yellow' : stateColor(session.state, session.exitCode))} bold={waiting} inverse={waiting && paint('red') === undefined}>
            {truncateToWidth(badge, width)}
          </Text>
        )}
        <Text dimColor>{rest}</Text>
      </Text>
    </Box>
  );
}
