// The board screen: a header, one column per status with the cards that fit, a message line and the key hints.
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { detailLine } from '../approval-format.js';
import { escapeText } from '../escape.js';
import { truncateToWidth } from '../text-width.js';
import { Card, CARD_HEIGHT } from './card.js';
import { columnTasks, pendingApproval, selection, visibleColumns, type BoardState } from './model.js';
import { watchersOf, watchLine } from './presence.js';
import { STATUS_TITLES, statusColor, type Paint } from './theme.js';

export interface Message {
  text: string;
  error: boolean;
}

export interface BoardViewProps {
  state: BoardState;
  width: number;
  height: number;
  now: number;
  paint: Paint;
  message?: Message | undefined;
  /** Replaces the key hints (a prompt being typed). */
  footer?: ReactNode;
  /** Through a view-only link: the header says so and the hints leave out the keys that change things. */
  viewOnly?: boolean;
}

export const KEY_HINTS = 'n new  s start  ⏎ attach  d diff  m merge  r retry  x stop  e edit  / filter  c cancelled  ? help  q quit';
export const VIEW_ONLY_KEY_HINTS = '⏎ watch  d diff  / filter  c cancelled  ? help  q quit';

/** Rows above and below the columns: header, message, footer. */
const CHROME = 3;

export function BoardView({ state, width, height, now, paint, message, footer, viewOnly = false }: BoardViewProps) {
  const columns = visibleColumns(state);
  const columnWidth = Math.max(8, Math.floor(width / columns.length));
  const cursor = selection(state);
  // The column header takes a row; an overflow line ("↑ 2  ↓ 5") another when the cards do not fit.
  const cardRows = Math.max(CARD_HEIGHT, height - CHROME - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header state={state} width={width} paint={paint} viewOnly={viewOnly} />
      <Box flexDirection="row" height={cardRows + 1}>
        {columns.map((status, index) => {
          const tasks = columnTasks(state, status);
          const fits = Math.floor(cardRows / CARD_HEIGHT);
          const slots = tasks.length > fits ? Math.max(1, Math.floor((cardRows - 1) / CARD_HEIGHT)) : fits;
          const active = index === cursor.column;
          // Scroll so the selected card is in view.
          const first = active ? Math.max(0, Math.min(cursor.row - slots + 1, tasks.length - slots)) : 0;
          const shown = tasks.slice(Math.max(0, first), Math.max(0, first) + slots);
          const above = Math.max(0, first);
          const below = tasks.length - above - shown.length;
          const title = `${STATUS_TITLES[status]} ${tasks.length}`;
          return (
            <Box key={status} flexDirection="column" width={columnWidth}>
              <Text color={paint(statusColor(status))} bold underline={active} wrap="truncate">
                {truncateToWidth(title, columnWidth - 1)}
              </Text>
              {shown.map((task) => (
                <Card
                  key={task.number}
                  task={task}
                  width={columnWidth - 1}
                  selected={active && task.number === cursor.task?.number}
                  now={now}
                  paint={paint}
                  approval={pendingApproval(state, task.number)}
                  viewers={watchersOf(state, task)}
                />
              ))}
              {(above > 0 || below > 0) && (
                <Text dimColor wrap="truncate">
                  {`  ${above > 0 ? `↑ ${above}` : ''}${above > 0 && below > 0 ? '  ' : ''}${below > 0 ? `↓ ${below}` : ''}`}
                </Text>
              )}
            </Box>
          );
        })}
      </Box>
      <Box flexGrow={1} />
      <MessageLine state={state} width={width} paint={paint} message={message} viewOnly={viewOnly} />
      {footer ?? (
        <Text dimColor wrap="truncate">
          {truncateToWidth(viewOnly ? VIEW_ONLY_KEY_HINTS : KEY_HINTS, width)}
        </Text>
      )}
    </Box>
  );
}

/**
 * The line above the key hints: an error, else what the selected task's agent asks (so it is read before it is
 * answered), else who watches the selected task's session, else the last message.
 */
function MessageLine({ state, width, paint, message, viewOnly }: { state: BoardState; width: number; paint: Paint; message?: Message | undefined; viewOnly: boolean }) {
  const task = selection(state).task;
  const approval = task && !message?.error ? pendingApproval(state, task.number) : undefined;
  if (approval) {
    const keys = viewOnly ? 'answered from a control link or the desk' : 'y allow · N deny';
    const text = `⚑ #${approval.taskNumber} asks ${escapeText(approval.tool)}: ${detailLine(approval)} — ${keys}`;
    return (
      <Text color={paint('yellow')} bold wrap="truncate">
        {truncateToWidth(text, width)}
      </Text>
    );
  }
  const watchers = task && !message?.error ? watchersOf(state, task) : [];
  if (task && watchers.length > 0) {
    return (
      <Text color={paint('cyan')} wrap="truncate">
        {truncateToWidth(watchLine(task.number, watchers), width)}
      </Text>
    );
  }
  return (
    <Text color={message?.error ? paint('red') : undefined} bold={message?.error} wrap="truncate">
      {message ? truncateToWidth(escapeText(message.text), width) : ' '}
    </Text>
  );
}

function Header({ state, width, paint, viewOnly }: { state: BoardState; width: number; paint: Paint; viewOnly: boolean }) {
  const count = state.tasks.size;
  const parts = [`${count} task${count === 1 ? '' : 's'}`];
  if (state.filter !== '') parts.push(`filter "${escapeText(state.filter)}"`);
  if (state.showCancelled) parts.push('cancelled shown');
  const connection =
    state.connection === 'disconnected' ? 'daemon disconnected — reconnecting…' : state.connection === 'connecting' ? 'connecting…' : '';
  const badge = viewOnly ? 'view-only link' : '';
  const right = [badge, connection].filter((text) => text !== '').join(' · ');
  const left = truncateToWidth(`vibe board · ${escapeText(state.project)} · ${parts.join(' · ')}`, width - right.length - 1);
  return (
    <Box width={width}>
      <Text bold wrap="truncate">
        {left}
      </Text>
      <Box flexGrow={1} />
      {badge !== '' && (
        <Text color={paint('yellow')} bold>
          {badge}
        </Text>
      )}
      {badge !== '' && connection !== '' && <Text> · </Text>}
      {connection !== '' && (
        <Text color={paint(state.connection === 'disconnected' ? 'red' : 'yellow')} bold>
          {connection}
        </Text>
      )}
    </Box>
  );
}
