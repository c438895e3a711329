// Removing a task's worktrees: first what removing without force would lose, attempt by attempt — every
// worktree is looked at before anything is removed, so a refusal leaves all of them as they were and names each
// one that blocks — then the removal itself, which stops (and says where) rather than lose work.
import { ProtocolError, type Session } from '@vibe/protocol';
import type { AttemptsOptions, WorktreeOps } from './types.js';

export interface RemovalCheck {
  /** One line per worktree holding work or a running agent: `attempt 2: vibe/3-x-2 (uncommitted changes) at /path`. */
  losses: string[];
  /** Attempt numbers whose agent is still running. */
  running: number[];
}

export async function checkRemoval(repo: string, sessions: readonly Session[], worktrees: Pick<WorktreeOps, 'removeWorktree'>): Promise<RemovalCheck> {
  // A resumed run shares its worktree and branch with the attempt it continues: one line for them all.
  const byWorktree = new Map<string, Session[]>();
  for (const session of [...sessions].sort((a, b) => a.attempt - b.attempt)) {
    byWorktree.set(session.worktree, [...(byWorktree.get(session.worktree) ?? []), session]);
  }
  const check: RemovalCheck = { losses: [], running: [] };
  for (const [worktree, attempts] of byWorktree) {
    const { branch } = attempts[0]!;
    const running = attempts.filter((session) => session.state !== 'exited').map((session) => session.attempt);
    const at = await worktrees.removeWorktree({ repo, path: worktree, branch, force: false, dryRun: true });
    const what = [
      running.length > 0 ? 'agent running' : '',
      at.unmergedCommits > 0 ? `${at.unmergedCommits} unmerged commit(s)` : '',
      at.dirty ? 'uncommitted changes' : '',
    ].filter(Boolean);
    if (what.length === 0) continue;
    const numbers = attempts.map((session) => session.attempt);
    check.losses.push(`attempt${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')}: ${branch} (${what.join(', ')}) at ${worktree}`);
    check.running.push(...running);
  }
  return check;
}

/**
 * Removes each worktree and branch; the task itself goes only once they all have. Without `force`, git
 * checks each again as it goes, so work written since the check stops the removal rather than going with
 * it. A removal that stops keeps the task and what is left, and says so: running the remove again skips
 * what is gone and finishes.
 */
export async function removeWorktrees(
  { worktrees, logger }: Pick<AttemptsOptions, 'worktrees' | 'logger'>,
  repo: string,
  taskNumber: number,
  attempts: readonly Session[],
  force: boolean,
): Promise<void> {
  const gone: number[] = [];
  for (const session of attempts) {
    let why: string;
    let retry = '';
    try {
      const at = await worktrees.removeWorktree({ repo, path: session.worktree, branch: session.branch, force, logger });
      if (at.removed) {
        gone.push(session.attempt);
        continue;
      }
      why = [at.unmergedCommits > 0 ? `${at.unmergedCommits} unmerged commit(s)` : '', at.dirty ? 'uncommitted changes' : ''].filter(Boolean).join(', ') + ' since the check';
      retry = ' (with --force to drop that work)';
    } catch (error) {
      why = error instanceof Error ? error.message : String(error);
    }
    const kept = gone.length > 0 ? `the worktrees of attempt(s) ${gone.join(', ')} are gone, the task and its other attempts are kept` : 'nothing was removed';
    throw new ProtocolError(
      'conflict',
      `removing task ${taskNumber} stopped at attempt ${session.attempt} (${session.branch} at ${session.worktree}): ${why}; ${kept} — run \`vibe task rm ${taskNumber}\` again to finish${retry}`,
      { attempt: session.attempt, removed: gone },
    );
  }
}
