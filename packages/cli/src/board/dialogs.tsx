// The board's dialogs: the new-task form, one-line prompts, the merge confirmation and the help page.
import { Box, Text } from 'ink';
import type { Task } from '@vibe/protocol';
import { escapeText } from '../escape.js';
import { truncateToWidth } from '../text-width.js';
import type { Paint } from './theme.js';

export const MERGE_MODES = ['squash', 'rebase', 'merge'] as const;
export type MergeMode = (typeof MERGE_MODES)[number];

export interface InputKey {
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
}

/** A text field's next value after one key: typing appends (control characters dropped), backspace and Ctrl-U erase. */
export function editText(text: string, input: string, key: InputKey): string {
  if (key.backspace || key.delete) return [...text].slice(0, -1).join('');
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.return || key.escape || key.tab) return text;
  return text + input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** Shows the end of what is typed when it is longer than the field, and a cursor block. */
function Field({ label, value, active, width }: { label: string; value: string; active: boolean; width: number }) {
  const room = Math.max(4, width - label.length - 3);
  const shown = escapeText(value);
  const tail = [...shown].length > room - 1 ? `…${[...shown].slice(-(room - 2)).join('')}` : shown;
  return (
    <Text wrap="truncate">
      <Text bold={active}>{`${active ? '›' : ' '} ${label} `}</Text>
      <Text underline={active}>{tail}</Text>
      {active && <Text inverse> </Text>}
    </Text>
  );
}

export const NEW_TASK_FIELDS = ['title', 'description', 'agent'] as const;

/** The new-task form, or with `editing` the same fields of task #editing. */
export function NewTaskForm({ values, field, width, height, editing }: { values: readonly string[]; field: number; width: number; height: number; editing?: number }) {
  const labels = ['Title:      ', 'Description:', 'Agent:      '];
  const last = editing === undefined ? 'creates the task' : 'saves';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>{editing === undefined ? 'New task' : `Edit #${editing}`}</Text>
      <Text> </Text>
      {labels.map((label, index) => (
        <Field key={label} label={label} value={values[index] ?? ''} active={index === field} width={width} />
      ))}
      <Text> </Text>
      <Text dimColor wrap="truncate">
        {truncateToWidth(`Enter next field (${last} on the last)  Alt-Enter new line  Tab/↑↓ move  Esc cancel  — an empty agent uses the default`, width)}
      </Text>
    </Box>
  );
}

/** A one-line prompt in place of the key hints. */
export function PromptLine({ label, value, width }: { label: string; value: string; width: number }) {
  return <Field label={label} value={value} active width={width} />;
}

export function MergeConfirm({ task, mode, base, width, height, paint }: { task: Task; mode: number; base?: string | undefined; width: number; height: number; paint: Paint }) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {truncateToWidth(`Merge #${task.number} ${escapeText(task.title)}${base ? ` into ${escapeText(base)}` : ''}?`, width)}
      </Text>
      <Text> </Text>
      <Text>
        {'  mode: '}
        {MERGE_MODES.map((name, index) => (
          <Text key={name} inverse={index === mode} color={index === mode ? paint('green') : undefined}>
            {` ${name} `}
          </Text>
        ))}
      </Text>
      <Text> </Text>
      <Text dimColor wrap="truncate">
        {truncateToWidth('←→ or Tab choose the mode  Enter or y merge  Esc or n cancel', width)}
      </Text>
    </Box>
  );
}

export const HELP_LINES: ReadonlyArray<readonly [string, string]> = [
  ['←↓↑→ hjkl', 'move between cards and columns'],
  ['n', 'new task (title, description, agent)'],
  ['s', 'start the task (a new attempt)'],
  ['Enter a', "attach to the task's session; Ctrl-] comes back"],
  ['d', 'diff of the newest attempt'],
  ['m', 'merge the attempt (squash, rebase or merge)'],
  ['r', 'retry with another agent'],
  ['x', 'stop the running session'],
  ['y N', "allow, or deny (with a reason), what the task's agent asks"],
  ['e', 'edit the title, description and agent'],
  ['/', 'filter by title (Esc clears)'],
  ['c', 'show or hide cancelled tasks'],
  ['?', 'this help'],
  ['q', 'quit'],
];

export function HelpView({ width, height }: { width: number; height: number }) {
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>vibe board — keys</Text>
      <Text> </Text>
      {HELP_LINES.map(([keys, what]) => (
        <Text key={keys} wrap="truncate">
          <Text bold>{`  ${keys.padEnd(12)}`}</Text>
          {what}
        </Text>
      ))}
      <Text> </Text>
      <Text wrap="truncate">
        <Text bold>{`  ${'◉2 ✎'.padEnd(12)}`}</Text>
        on a card: two connections watch its session, one of them typing
      </Text>
      <Text> </Text>
      <Text dimColor>any key returns to the board</Text>
    </Box>
  );
}
