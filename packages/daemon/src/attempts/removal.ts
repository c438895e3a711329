// What removing a task without force would lose, attempt by attempt. Every worktree is looked at before
// anything is removed, so a refusal leaves all of them as they were and names each one that blocks.
import type { Session } from '@vibe/protocol';
import type { WorktreeOps } from './types.js';

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
