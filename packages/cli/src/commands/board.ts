// `vibe board`: the full-screen TUI. Refuses without a terminal before ink is loaded (ink would crash on raw mode).
import { currentDirectory } from '../cwd.js';
import { openBoard } from '../board/board-link.js';
import { connect } from '../daemon-connection.js';
import { UsageError } from '../errors.js';
import type * as RunBoardModule from '../board/run-board.js';

export interface BoardOptions {
  project?: string;
}

export async function board(options: BoardOptions): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('vibe board needs a terminal on stdin and stdout; from a script, `vibe task ls` lists the tasks');
  }
  const cwd = currentDirectory();
  // Connect, pick the project and load its tasks while ink and React load.
  const opening = connect().then(({ client }) => openBoard(client, cwd, options.project));
  const [{ runBoard }, board] = await Promise.all([loadBoard(), opening]);
  try {
    await runBoard({ ...board, cwd });
  } finally {
    board.link.dispose();
  }
}

/**
 * Loads ink and the board with two things out of its way, put back once it has loaded:
 * - `CI` and `CONTINUOUS_INTEGRATION`: ink decides once, when it loads, whether it runs in CI, and there it
 *   draws nothing until the app ends. The board only runs on a terminal, so someone is looking.
 * - `fetch`: yoga's loader fetches its own inlined wasm with `fetch()` when there is one, and in Node the
 *   first use of `fetch` loads undici (~25 ms of a ~300 ms start); without it, it decodes the bytes itself.
 *   The descriptor is moved aside unread, since reading `fetch` is what loads undici.
 */
async function loadBoard(): Promise<typeof RunBoardModule> {
  const hidden = (['CI', 'CONTINUOUS_INTEGRATION'] as const).filter((name) => name in process.env);
  const saved = hidden.map((name) => [name, process.env[name]] as const);
  for (const name of hidden) delete process.env[name];
  const fetchDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (fetchDescriptor?.configurable) delete (globalThis as { fetch?: unknown }).fetch;
  try {
    return await import('../board/run-board.js');
  } finally {
    for (const [name, value] of saved) process.env[name] = value;
    if (fetchDescriptor?.configurable) Object.defineProperty(globalThis, 'fetch', fetchDescriptor);
  }
}
