// The board's interactive shell: which screen is up (board, form, prompt, diff, merge, help) and what each key does.
// Every daemon call goes through `actions`, so tests drive it with fakes and read the frames.
import { useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { Box, useInput, type Key } from 'ink';
import type { Approval, ApprovalDecision, Task } from '@vibe/protocol';
import { escapeText } from '../escape.js';
import { BoardView, type Message } from './board-view.js';
import { editText, HelpView, MERGE_MODES, MergeConfirm, NEW_TASK_FIELDS, NewTaskForm, PromptLine, type MergeMode } from './dialogs.js';
import { DiffView, patchRows, splitPatch, type Diff } from './diff-view.js';
import { pendingApproval, selection, type BoardAction, type BoardState } from './model.js';
import type { Paint } from './theme.js';

export interface NewTask {
  title: string;
  description?: string;
  agent?: string;
}

export interface TaskEdits {
  title?: string;
  description?: string;
  agent?: string | null;
}

/** What the board asks of the daemon (and of the terminal, for attach and quit). Resolves with a line to show. */
export interface BoardActions {
  create(task: NewTask): Promise<Task>;
  start(task: Task, agent?: string): Promise<string>;
  stop(task: Task): Promise<string>;
  /** Saves what the edit form changed; a null agent goes back to the default. */
  edit(task: Task, changes: TaskEdits): Promise<string>;
  diff(task: Task): Promise<Diff>;
  merge(task: Task, mode: MergeMode): Promise<string>;
  /** Answers an approval the task's agent waits on; a deny may carry a reason for the agent. */
  answer(approval: Approval, decision: ApprovalDecision, reason?: string): Promise<string>;
  /** Hands the terminal to the task's session; the board comes back on detach. */
  attach(task: Task): void;
  quit(): void;
}

type Mode =
  | { kind: 'board' }
  | { kind: 'help' }
  /** The task form: a new task, or, with `task`, that task's title, description and agent to edit. */
  | { kind: 'new'; field: number; values: string[]; task?: Task }
  | { kind: 'prompt'; purpose: 'retry' | 'filter' | 'deny'; task?: Task; approval?: Approval; text: string }
  | { kind: 'merge'; task: Task; mode: number }
  | { kind: 'diff'; task: Task; diff?: Diff; error?: string; file: number; scroll: number };

export interface BoardAppProps {
  state: BoardState;
  dispatch: Dispatch<BoardAction>;
  actions: BoardActions;
  width: number;
  height: number;
  now: number;
  paint: Paint;
  /** A line to show when the board (re)opens: what an attach ended with. */
  initialMessage?: Message;
  /** Through a view-only link: keys that would change something are refused here, with a line saying why. */
  viewOnly?: boolean;
}

/** The board keys that change something, and what each does, for the refusal a view-only link gets. */
const CHANGE_KEYS: Readonly<Record<string, string>> = { n: 'new task', s: 'start', x: 'stop', e: 'edit', r: 'retry', m: 'merge', y: 'allow', N: 'deny' };

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function BoardApp({ state, dispatch, actions, width, height, now, paint, initialMessage, viewOnly = false }: BoardAppProps) {
  const [mode, setModeState] = useState<Mode>({ kind: 'board' });
  // Handlers read the mode from here: one chunk of input ("title⏎", a paste) runs several keys before React renders.
  const modeRef = useRef(mode);
  const setMode = (next: SetStateAction<Mode>): void => {
    modeRef.current = typeof next === 'function' ? next(modeRef.current) : next;
    setModeState(modeRef.current);
  };
  const [message, setMessage] = useState<Message | undefined>(initialMessage);
  const selected = selection(state).task;

  const run = (what: string, promise: Promise<string>): void => {
    setMessage({ text: `${what}…`, error: false });
    promise.then(
      (text) => setMessage({ text, error: false }),
      (error: unknown) => setMessage({ text: `${what}: ${errorText(error)}`, error: true }),
    );
  };
  const needTask = (then: (task: Task) => void): void => {
    if (selected) then(selected);
    else setMessage({ text: 'no task selected', error: true });
  };
  const needApproval = (then: (approval: Approval) => void): void =>
    needTask((task) => {
      const approval = pendingApproval(state, task.number);
      if (approval) then(approval);
      else setMessage({ text: `#${task.number}'s agent asks nothing now`, error: true });
    });

  const onBoardKey = (input: string, key: Key): void => {
    const change = key.ctrl || key.meta ? undefined : CHANGE_KEYS[input];
    // The daemon would refuse these too; saying so here spares a round trip and names what was refused.
    if (viewOnly && change) return setMessage({ text: `${change}: refused — this link is view-only; it can watch, not change anything`, error: true });
    if (key.ctrl && input === 'c') actions.quit();
    else if (key.leftArrow || input === 'h') dispatch({ type: 'move', dx: -1, dy: 0 });
    else if (key.rightArrow || input === 'l') dispatch({ type: 'move', dx: 1, dy: 0 });
    else if (key.upArrow || input === 'k') dispatch({ type: 'move', dx: 0, dy: -1 });
    else if (key.downArrow || input === 'j') dispatch({ type: 'move', dx: 0, dy: 1 });
    else if (input === 'q') actions.quit();
    else if (input === '?') setMode({ kind: 'help' });
    else if (input === 'c') dispatch({ type: 'toggle-cancelled' });
    else if (input === 'n') setMode({ kind: 'new', field: 0, values: ['', '', ''] });
    else if (input === '/') setMode({ kind: 'prompt', purpose: 'filter', text: state.filter });
    else if (key.escape && state.filter !== '') dispatch({ type: 'filter', text: '' });
    else if (input === 's') needTask((task) => run(`starting #${task.number}`, actions.start(task)));
    else if (input === 'x') needTask((task) => run(`stopping #${task.number}`, actions.stop(task)));
    else if (input === 'e') needTask((task) => setMode({ kind: 'new', task, field: 0, values: [task.title, task.description, task.agent ?? ''] }));
    else if (input === 'r') needTask((task) => setMode({ kind: 'prompt', purpose: 'retry', task, text: task.session?.agent ?? task.agent ?? '' }));
    else if (input === 'm') needTask((task) => setMode({ kind: 'merge', task, mode: 0 }));
    else if (input === 'y') needApproval((approval) => run(`allowing approval ${approval.id}`, actions.answer(approval, 'allow')));
    else if (input === 'N') needApproval((approval) => setMode({ kind: 'prompt', purpose: 'deny', approval, text: '' }));
    else if (key.return || input === 'a') {
      needTask((task) => (task.session ? actions.attach(task) : setMessage({ text: `#${task.number} has no session yet — s starts it`, error: true })));
    } else if (input === 'd') {
      needTask((task) => {
        setMode({ kind: 'diff', task, file: 0, scroll: 0 });
        actions.diff(task).then(
          (diff) => setMode((current) => (current.kind === 'diff' && current.task.number === task.number ? { ...current, diff } : current)),
          (error: unknown) => setMode((current) => (current.kind === 'diff' && current.task.number === task.number ? { ...current, error: errorText(error) } : current)),
        );
      });
    }
  };

  const onNewKey = (current: Extract<Mode, { kind: 'new' }>, input: string, key: Key): void => {
    if (key.escape) return setMode({ kind: 'board' });
    const last = NEW_TASK_FIELDS.length - 1;
    if (key.tab || key.downArrow) return setMode({ ...current, field: key.shift ? (current.field + last) % (last + 1) : (current.field + 1) % (last + 1) });
    if (key.upArrow) return setMode({ ...current, field: (current.field + last) % (last + 1) });
    if (key.return && key.meta && NEW_TASK_FIELDS[current.field] === 'description') {
      // Alt-Enter (ESC CR) starts a new line of the description; Enter alone moves on.
      const values = [...current.values];
      values[current.field] = `${values[current.field] ?? ''}\n`;
      return setMode({ ...current, values });
    }
    if (key.return && current.field < last) return setMode({ ...current, field: current.field + 1 });
    if (key.return) {
      const [title = '', description = '', agent = ''] = current.values.map((value) => value.trim());
      if (title === '') return setMode({ ...current, field: 0 });
      setMode({ kind: 'board' });
      if (current.task) return saveEdits(current.task, { title, description, agent });
      const created = actions.create({ title, ...(description && { description }), ...(agent && { agent }) });
      run(
        'creating the task',
        created.then((task) => {
          dispatch({ type: 'event', event: { type: 'event', subscription: 0, name: 'task.created', seq: 0, at: task.createdAt, data: { task } } });
          dispatch({ type: 'select', number: task.number });
          return `created #${task.number} — s starts it`;
        }),
      );
      return;
    }
    const values = [...current.values];
    values[current.field] = editText(values[current.field] ?? '', input, key);
    setMode({ ...current, values });
  };

  const saveEdits = (task: Task, { title, description, agent }: { title: string; description: string; agent: string }): void => {
    const changes: TaskEdits = {
      ...(title !== task.title && { title }),
      ...(description !== task.description.trim() && { description }),
      ...(agent !== (task.agent ?? '') && { agent: agent === '' ? null : agent }),
    };
    if (Object.keys(changes).length === 0) setMessage({ text: `#${task.number} unchanged`, error: false });
    else run(`saving #${task.number}`, actions.edit(task, changes));
  };

  const onPromptKey = (current: Extract<Mode, { kind: 'prompt' }>, input: string, key: Key): void => {
    if (key.escape) {
      if (current.purpose === 'filter') dispatch({ type: 'filter', text: '' });
      return setMode({ kind: 'board' });
    }
    if (key.return) {
      setMode({ kind: 'board' });
      const text = current.text.trim();
      const task = current.task;
      if (current.purpose === 'retry' && task) run(`starting #${task.number}${text ? ` with ${text}` : ''}`, actions.start(task, text || undefined));
      if (current.purpose === 'deny' && current.approval) run(`denying approval ${current.approval.id}`, actions.answer(current.approval, 'deny', text || undefined));
      return;
    }
    const text = editText(current.text, input, key);
    if (current.purpose === 'filter') dispatch({ type: 'filter', text });
    setMode({ ...current, text });
  };

  const onMergeKey = (current: Extract<Mode, { kind: 'merge' }>, input: string, key: Key): void => {
    const count = MERGE_MODES.length;
    if (key.escape || input === 'n' || input === 'q') return setMode({ kind: 'board' });
    if (key.leftArrow || input === 'h') return setMode({ ...current, mode: (current.mode + count - 1) % count });
    if (key.rightArrow || key.tab || input === 'l') return setMode({ ...current, mode: (current.mode + 1) % count });
    if (key.return || input === 'y') {
      setMode({ kind: 'board' });
      const mergeMode = MERGE_MODES[current.mode]!;
      run(`merging #${current.task.number} (${mergeMode})`, actions.merge(current.task, mergeMode));
    }
  };

  const onDiffKey = (current: Extract<Mode, { kind: 'diff' }>, input: string, key: Key): void => {
    if (key.escape || input === 'q' || input === 'd') return setMode({ kind: 'board' });
    const files = current.diff ? splitPatch(current.diff) : [];
    const lines = files[current.file]?.lines.length ?? 0;
    const page = patchRows(height);
    const maxScroll = Math.max(0, lines - page);
    const scrollTo = (scroll: number): void => setMode({ ...current, scroll: Math.max(0, Math.min(maxScroll, scroll)) });
    const fileTo = (file: number): void => setMode({ ...current, file: (file + files.length) % Math.max(1, files.length), scroll: 0 });
    if (key.downArrow || input === 'j') scrollTo(current.scroll + 1);
    else if (key.upArrow || input === 'k') scrollTo(current.scroll - 1);
    else if (key.pageDown || input === ' ') scrollTo(current.scroll + page);
    else if (key.pageUp || input === 'b') scrollTo(current.scroll - page);
    else if (input === 'g' || key.home) scrollTo(0);
    else if (input === 'G' || key.end) scrollTo(maxScroll);
    else if (key.rightArrow || input === 'l' || (key.tab && !key.shift)) fileTo(current.file + 1);
    else if (key.leftArrow || input === 'h' || (key.tab && key.shift)) fileTo(current.file - 1);
  };

  const onKey = (input: string, key: Key): void => {
    const mode = modeRef.current;
    // Outside text fields every character is a key of its own.
    if (mode.kind !== 'new' && mode.kind !== 'prompt' && [...input].length > 1 && !key.ctrl && !key.meta) {
      for (const char of input) onKey(char, { ...NO_KEY, shift: char !== char.toLowerCase() });
      return;
    }
    switch (mode.kind) {
      case 'board':
        return onBoardKey(input, key);
      case 'help':
        return setMode({ kind: 'board' });
      case 'new':
        return onNewKey(mode, input, key);
      case 'prompt':
        return onPromptKey(mode, input, key);
      case 'merge':
        return onMergeKey(mode, input, key);
      case 'diff':
        return onDiffKey(mode, input, key);
    }
  };

  useInput((input, key) => {
    for (const [chunk, chunkKey] of splitKeys(input, key)) onKey(chunk, chunkKey);
  });

  switch (mode.kind) {
    case 'help':
      return <HelpView width={width} height={height} />;
    case 'new':
      return <NewTaskForm values={mode.values} field={mode.field} width={width} height={height} {...(mode.task && { editing: mode.task.number })} />;
    case 'merge':
      return <MergeConfirm task={mode.task} mode={mode.mode} width={width} height={height} paint={paint} />;
    case 'diff':
      return (
        <DiffView title={`#${mode.task.number} ${escapeText(mode.task.title)}`} diff={mode.diff} error={mode.error} file={mode.file} scroll={mode.scroll} width={width} height={height} paint={paint} />
      );
    case 'prompt': {
      const label =
        mode.purpose === 'filter' ? 'Filter:' : mode.purpose === 'deny' ? `Deny approval ${mode.approval?.id} — reason for the agent (Enter skips):` : `Retry #${mode.task?.number} with agent:`;
      return (
        <Box>
          <BoardView state={state} width={width} height={height} now={now} paint={paint} message={message} viewOnly={viewOnly} footer={<PromptLine label={label} value={mode.text} width={width} />} />
        </Box>
      );
    }
    case 'board':
      return <BoardView state={state} width={width} height={height} now={now} paint={paint} message={message} viewOnly={viewOnly} />;
  }
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/**
 * Several keys that reached ink in one read (fast typing, a paste, `tmux send-keys`) come as one string: it is
 * split so that letters typed before Enter land in the field and board keys each count. Text with no Enter,
 * no backspace and no control keys stays one chunk (a pasted title).
 */
export function splitKeys(input: string, key: Key): Array<[string, Key]> {
  if (input.length <= 1 || key.ctrl || key.meta || !/[\r\x7f\x08]/.test(input)) return [[input, key]];
  const keys: Array<[string, Key]> = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') keys.push([text, { ...NO_KEY, shift: text !== text.toLowerCase() }]);
    text = '';
  };
  for (const char of input) {
    if (char === '\r') {
      flush();
      keys.push(['', { ...NO_KEY, return: true }]);
    } else if (char === '\x7f' || char === '\x08') {
      flush();
      keys.push(['', { ...NO_KEY, backspace: true }]);
    } else text += char;
  }
  flush();
  return keys;
}
