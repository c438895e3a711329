// `vibe board`: the full-screen TUI. Refuses without a terminal before ink is loaded (ink would crash on raw mode).
import { currentDirectory } from '../cwd.js';
import { connect } from '../daemon-connection.js';
import { UsageError } from '../errors.js';

export interface BoardOptions {
  project?: string;
}

export async function board(options: BoardOptions): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('vibe board needs a terminal on stdin and stdout; from a script, `vibe task ls` lists the tasks');
  }
  const cwd = currentDirectory();
  // Connect while ink and React load.
  const [{ runBoard }, { client }] = await Promise.all([import('../board/run-board.js'), connect()]);
  try {
    await runBoard({ client, cwd, ...(options.project !== undefined && { project: options.project }) });
  } finally {
    client.close();
  }
}
