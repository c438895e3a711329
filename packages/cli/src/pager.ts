// Shows long output through the user's pager, as git does: only on a terminal, only when it would not fit.
import { spawn } from 'node:child_process';
import { interruptSignal } from './interrupt.js';

type Env = Record<string, string | undefined>;

/** The pager's argv: $PAGER split on whitespace (no shell, so no quoting), else `less -FRX`. */
export function pagerCommand(env: Env = process.env): string[] {
  const words = (env.PAGER ?? '').trim().split(/\s+/).filter(Boolean);
  return words.length > 0 ? words : ['less', '-FRX'];
}

export interface PageTarget {
  isTTY?: boolean;
  rows?: number;
  write(text: string): unknown;
}

/** Whether `text` should go through a pager: stdout is a terminal and the text is taller than it. */
export function needsPager(text: string, target: PageTarget): boolean {
  if (!target.isTTY || !target.rows) return false;
  let lines = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    if (++lines >= target.rows) return true;
  }
  return false;
}

/**
 * Writes `text` to stdout, through the pager when it needs one. A pager that cannot start (not installed,
 * say) means plain output instead; `cat` as $PAGER is fine too. While the pager runs, Ctrl-C is its to
 * handle (less uses it to stop a search), so vibe claims the signal and keeps waiting.
 */
export async function page(text: string, target: PageTarget = process.stdout, env: Env = process.env): Promise<void> {
  if (!needsPager(text, target)) {
    target.write(text);
    return;
  }
  const [command, ...args] = pagerCommand(env);
  // less without LESS set: -F quits when the text fits, -R shows colours, -X leaves it on the screen.
  const childEnv = { ...env, LESS: env.LESS ?? 'FRX' };
  const started = await new Promise<boolean>((resolve) => {
    const child = spawn(command!, args, { stdio: ['pipe', 'inherit', 'inherit'], env: childEnv });
    let spawned = false;
    child.once('spawn', () => {
      spawned = true;
      interruptSignal();
      // The user quitting the pager early closes the pipe: that is not an error.
      child.stdin.on('error', () => {});
      child.stdin.end(text);
    });
    child.once('error', () => {
      if (!spawned) resolve(false);
    });
    child.once('close', () => resolve(true));
  });
  if (!started) target.write(text);
}
