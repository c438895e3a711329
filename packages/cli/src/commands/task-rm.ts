// `vibe task rm ID`: deletes a task (its number is never reused). A task whose attempts hold work is
// removed only with --force, which takes its worktrees and branches with it.
import { ProtocolError, type Session } from '@vibe/protocol';
import { withDaemon } from '../daemon-connection.js';
import { escapeText } from '../escape.js';
import { printJson, say } from '../output.js';
import { taskName } from '../task-format.js';
import { taskRef } from '../task-ref.js';
import { shellWord } from './task-start.js';

export interface TaskRmOptions {
  force?: boolean;
  project?: string;
  json?: boolean;
}

export async function taskRm(id: string, options: TaskRmOptions): Promise<void> {
  const ref = taskRef(id, options);
  const { task, attempts } = await withDaemon(async ({ client }) => {
    // What --force is about to delete, listed before it is gone (the removal answers with the task only).
    const attempts = options.force ? await attemptsOf(client, ref) : [];
    try {
      // Even with --force, the careful removal goes first: when it succeeds nothing was lost, and when it
      // refuses, its refusal says exactly what --force is about to throw away — said before it is gone.
      const { task } = await client.request('task.remove', ref);
      return { task, attempts };
    } catch (error) {
      if (!options.force || !(error instanceof ProtocolError) || error.code !== 'conflict') throw options.force ? error : withForceHint(error, id);
      say(`--force: ${lossesOf(error).join('; ')}`);
      const { task } = await client.request('task.remove', { ...ref, force: true });
      return { task, attempts };
    }
  });
  if (options.json) {
    printJson(task);
    return;
  }
  say(`removed ${taskName(task)}`);
  for (const session of attempts) {
    say(`  attempt ${session.attempt} (${escapeText(session.agent)}): branch ${escapeText(session.branch)}, worktree ${escapeText(session.worktree)}`);
  }
}

/** What the careful removal refused over: the daemon's list of losses, else its message. */
function lossesOf(error: ProtocolError): string[] {
  const losses = (error.data as { losses?: unknown } | undefined)?.losses;
  if (Array.isArray(losses) && losses.length > 0 && losses.every((loss) => typeof loss === 'string')) {
    return losses.map((loss: string) => `losing ${escapeText(loss)}`);
  }
  return [escapeText(error.message)];
}

type Client = Parameters<Parameters<typeof withDaemon>[0]>[0]['client'];

async function attemptsOf(client: Client, ref: ReturnType<typeof taskRef>): Promise<Session[]> {
  const { task } = await client.request('task.get', ref);
  if (!task.session) return [];
  const { sessions } = await client.request('session.list', { project: task.project });
  return sessions.filter((session) => session.taskNumber === task.number).sort((a, b) => a.attempt - b.attempt);
}

/**
 * The daemon's refusal, with what would be lost one per line, attempt by attempt (from its `losses` data
 * when it sends them), then how to stop a running agent and the command that removes the task anyway.
 */
function withForceHint(error: unknown, id: string): unknown {
  if (!(error instanceof ProtocolError) || error.code !== 'conflict') return error;
  const { losses, running } = (error.data ?? {}) as { losses?: unknown; running?: unknown };
  const hint = `to remove it anyway: vibe task rm ${shellWord(id)} --force`;
  if (Array.isArray(losses) && losses.length > 0 && losses.every((loss) => typeof loss === 'string')) {
    const stop = Array.isArray(running) && running.length > 0 ? [`to stop its agent first: vibe task stop ${shellWord(id)}`] : [];
    const lines = [`removing task ${id} would lose work:`, ...losses.map((loss: string) => `  ${loss}`), ...stop, hint];
    return new ProtocolError(error.code, lines.join('\n'), error.data, { cause: error });
  }
  if (error.message.includes('--force')) return error;
  return new ProtocolError(error.code, `${error.message}\n${hint}`, error.data, { cause: error });
}
