// `vibe board` around the views: the alternate screen, the live link to the daemon, the bell, and handing the
// terminal to `attach` and taking it back on detach. Loaded only once the command knows it has a terminal.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { render, useStdout } from 'ink';
import type { ControlClient, Task } from '@vibe/protocol';
import { approvalOutcome } from '../approval-format.js';
import { attachSession, type AttachInput } from '../attach/attach-session.js';
import { detachKeyFrom } from '../attach/detach-key.js';
import { linkReconnect } from '../attach/link-reconnect.js';
import { connect, onDisconnect } from '../daemon-connection.js';
import { colorEnabled } from '../terminal.js';
import { BoardApp, type BoardActions } from './app.js';
import type { Message } from './board-view.js';
import type { BoardLink, OpenBoard } from './board-link.js';
import type { BoardStore } from './store.js';
import { paint, type Paint } from './theme.js';

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[H\x1b[2J';
const ALT_SCREEN_OFF = '\x1b[?1049l\x1b[?25h';
const CLOCK_MS = 1000;

export interface RunBoardOptions extends OpenBoard {
  cwd: string;
}

type Exit = { how: 'quit' } | { how: 'attach'; task: Task };

export async function runBoard({ project, store, link, access, cwd }: RunBoardOptions): Promise<void> {
  const stdout = process.stdout;
  let bells = 0;
  const offBell = store.subscribe(() => {
    const now = store.getState().bells;
    if (now > bells) stdout.write('\x07');
    bells = now;
  });
  const hangUp = new AbortController();
  const onSignal = (): void => hangUp.abort();
  process.on('SIGTERM', onSignal).on('SIGHUP', onSignal);
  const colors = paint(colorEnabled(stdout));
  const viewOnly = access === 'view';
  let message: Message | undefined;
  stdout.write(ALT_SCREEN_ON);
  try {
    for (;;) {
      const exit = await showBoard({ store, link, project: project.name, colors, message, viewOnly }, hangUp.signal);
      if (exit.how === 'quit') return;
      message = await attachTo(exit.task, project.name, cwd, hangUp.signal);
      if (hangUp.signal.aborted) return;
      // attach gave the terminal back on the main screen; the board takes the alternate one again.
      stdout.write(ALT_SCREEN_ON);
      // attach paused stdin, which stops the tty's reads; ink's 'readable' listener would never restart them.
      process.stdin.resume();
    }
  } finally {
    offBell();
    process.off('SIGTERM', onSignal).off('SIGHUP', onSignal);
    link.dispose();
    stdout.write(ALT_SCREEN_OFF);
  }
}

interface ShowBoard {
  store: BoardStore;
  link: BoardLink;
  project: string;
  colors: Paint;
  message: Message | undefined;
  viewOnly: boolean;
}

/** Renders the board until a key quits or asks to attach; ink is unmounted before this resolves. */
function showBoard({ store, link, project, colors, message, viewOnly }: ShowBoard, signal: AbortSignal): Promise<Exit> {
  return new Promise<Exit>((resolve) => {
    let done = false;
    const finish = (exit: Exit): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      instance.unmount();
      resolve(exit);
    };
    const onAbort = (): void => finish({ how: 'quit' });
    const actions = boardActions(link, project, finish);
    const instance = render(<LiveBoard store={store} actions={actions} paint={colors} initialMessage={message} viewOnly={viewOnly} />, {
      exitOnCtrlC: false,
      patchConsole: false,
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort);
  });
}

function boardActions(link: BoardLink, project: string, finish: (exit: Exit) => void): BoardActions {
  const ref = (task: Task) => ({ project, number: task.number });
  return {
    create: async (input) => (await link.client.request('task.create', { project, ...input })).task,
    start: async (task, agent) => {
      const { session } = await link.client.request('task.start', { ...ref(task), ...(agent !== undefined && { agent }) });
      return `started #${task.number} with ${session.agent} (attempt ${session.attempt}) — Enter attaches`;
    },
    stop: async (task) => {
      const { sessions } = await link.client.request('task.stop', ref(task));
      return sessions.length === 0 ? `#${task.number} had no running session` : `stopped #${task.number}`;
    },
    edit: async (task, changes) => {
      await link.client.request('task.update', { ...ref(task), ...changes });
      return `saved #${task.number}`;
    },
    diff: (task) => link.client.request('task.diff', ref(task)),
    merge: async (task, mode) => {
      const result = await link.client.request('task.merge', { ...ref(task), mode });
      return `merged #${task.number} (${result.mode}) as ${result.commit.slice(0, 10)}`;
    },
    answer: async (approval, decision, reason) => approvalOutcome((await link.client.request('approval.answer', { id: approval.id, decision, ...(reason !== undefined && { reason }) })).approval),
    attach: (task) => finish({ how: 'attach', task }),
    quit: () => finish({ how: 'quit' }),
  };
}

/**
 * Runs the attach loop on this terminal, on a connection of its own; resolves with the line the board shows
 * next. Through a view-only link it attaches read-only, as `vibe attach` does: the daemon refuses anything else.
 */
async function attachTo(task: Task, project: string, cwd: string, signal: AbortSignal): Promise<Message> {
  let client: ControlClient | undefined;
  try {
    const connection = await connect();
    client = connection.client;
    const attached = client;
    const readOnly = connection.welcome.access === 'view';
    const outcome = await attachSession({
      client: attached,
      onDisconnect: (listener) => onDisconnect(attached, listener),
      target: { project, number: task.number, cwd },
      readOnly,
      detachKey: detachKeyFrom(undefined),
      input: byteInput(process.stdin),
      output: process.stdout,
      signal,
      // Through a link the attach rides out a relay restart and resumes, as `vibe attach` does.
      reconnect: linkReconnect(
        () => `#${task.number}`,
        () => process.stderr.write(`connection to the daemon lost — reconnecting to #${task.number} through the relay (Ctrl-C stops)\n`),
      ),
    });
    switch (outcome.how) {
      case 'detached':
        return { text: `detached from #${task.number}${readOnly ? ' (watched read-only: this link is view-only)' : ''}`, error: false };
      case 'exited':
        return { text: `#${task.number}: session exited${outcome.exitCode === null ? '' : ` (code ${outcome.exitCode})`}`, error: outcome.exitCode !== 0 };
      case 'disconnected':
        return { text: `#${task.number}: the connection to the daemon was lost while attached`, error: true };
    }
    return { text: `detached from #${task.number}`, error: false };
  } catch (error) {
    return { text: `attach #${task.number}: ${error instanceof Error ? error.message : String(error)}`, error: true };
  } finally {
    client?.close();
  }
}

/**
 * stdin as attach reads it: bytes. Ink set the stream's encoding to UTF-8 while the board was up, and a
 * Readable cannot be switched back, so strings are turned into bytes again on the way to attach.
 */
function byteInput(stdin: NodeJS.ReadStream): AttachInput {
  const wrapped = new Map<(chunk: Uint8Array) => void, (chunk: Buffer | string) => void>();
  return {
    setRawMode: (mode) => stdin.setRawMode(mode),
    resume: () => stdin.resume(),
    pause: () => stdin.pause(),
    on(event, listener) {
      const bytes = (chunk: Buffer | string): void => listener(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      wrapped.set(listener, bytes);
      stdin.on(event, bytes);
    },
    off(event, listener) {
      const bytes = wrapped.get(listener);
      if (!bytes) return;
      wrapped.delete(listener);
      stdin.off(event, bytes);
    },
  };
}

interface LiveBoardProps {
  store: BoardStore;
  actions: BoardActions;
  paint: Paint;
  initialMessage: Message | undefined;
  viewOnly: boolean;
}

/** The board bound to the store, the terminal's size (it follows resizes) and a clock for the elapsed times. */
function LiveBoard({ store, actions, paint, initialMessage, viewOnly }: LiveBoardProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { stdout } = useStdout();
  const [size, setSize] = useState({ width: stdout.columns || 80, height: stdout.rows || 24 });
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const onResize = (): void => setSize({ width: stdout.columns || 80, height: stdout.rows || 24 });
    stdout.on('resize', onResize);
    const clock = setInterval(() => setNow(Date.now()), CLOCK_MS);
    return () => {
      stdout.off('resize', onResize);
      clearInterval(clock);
    };
  }, [stdout]);
  // One row short of the screen: a frame as tall as the terminal makes ink clear it on every render.
  return (
    <BoardApp
      state={state}
      dispatch={store.dispatch}
      actions={actions}
      width={size.width}
      height={Math.max(6, size.height - 1)}
      now={now}
      paint={paint}
      viewOnly={viewOnly}
      {...(initialMessage && { initialMessage })}
    />
  );
}
