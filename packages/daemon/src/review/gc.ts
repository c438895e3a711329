// Cleaning up finished attempts: worktrees of exited sessions whose task is done or cancelled, and those a
// removed task left behind — never a running session, never unmerged or uncommitted work without force.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { MethodParams, MethodResult, Session } from '@vibe/protocol';
import { execGit, gitOrThrow, removeWorktree } from '../worktrees/index.js';
import type { FullProject, ReviewOptions } from './context.js';

type GcEntry = MethodResult<'worktree.gc'>['removed'][number];
type Candidate = Omit<GcEntry, 'project'>;

export async function gc(options: ReviewOptions, params: MethodParams<'worktree.gc'>): Promise<MethodResult<'worktree.gc'>> {
  const result: MethodResult<'worktree.gc'> = { removed: [], kept: [] };
  for (const project of options.store.listProjects()) {
    if (!existsSync(project.path)) continue;
    for (const candidate of await candidates(options, project)) {
      const entry = { project: project.name, ...candidate };
      try {
        const at = await removeWorktree({ repo: project.path, path: candidate.worktree, branch: candidate.branch, force: false, dryRun: true });
        const losses = [at.unmergedCommits > 0 ? `${at.unmergedCommits} unmerged commit(s)` : '', at.dirty ? 'uncommitted changes' : ''].filter(Boolean);
        if (losses.length > 0 && !params.force) {
          result.kept.push({ ...entry, reason: `${losses.join(' and ')}; pass --force to remove it anyway` });
          continue;
        }
        if (!params.dryRun) await removeWorktree({ repo: project.path, path: candidate.worktree, branch: candidate.branch, force: params.force ?? false });
        result.removed.push(entry);
      } catch (error) {
        result.kept.push({ ...entry, reason: (error as Error).message });
      }
    }
    if (!params.dryRun) await execGit(['worktree', 'prune'], project.path);
  }
  return result;
}

/** Finished attempts of the project whose worktree still exists, one entry per worktree. */
async function candidates(options: ReviewOptions, project: FullProject): Promise<Candidate[]> {
  const { store } = options;
  const status = new Map(store.listTasks({ projectId: project.id }).map((task) => [task.number, task.status]));
  const byWorktree = new Map<string, Session[]>();
  for (const session of store.listSessions({ projectId: project.id })) {
    byWorktree.set(session.worktree, [...(byWorktree.get(session.worktree) ?? []), session]);
  }
  const found: Candidate[] = [];
  for (const [worktree, sessions] of byWorktree) {
    const first = sessions[0]!;
    const finished = status.get(first.taskNumber) === 'done' || status.get(first.taskNumber) === 'cancelled';
    if (!finished || sessions.some((s) => s.state !== 'exited') || !existsSync(worktree)) continue;
    found.push({ taskNumber: first.taskNumber, attempt: first.attempt, worktree, branch: first.branch });
  }
  // A removed task's sessions are gone from the store; its worktrees are still git's and under vibe's directory.
  const ours = join(options.worktreesDir, String(project.id));
  for (const { path, branch } of await listWorktrees(project.path)) {
    if (dirname(path) !== ours || byWorktree.has(path) || !branch) continue;
    const match = /^(\d+)-(\d+)$/.exec(basename(path));
    found.push({ taskNumber: Number(match?.[1] ?? 0), attempt: Number(match?.[2] ?? 0), worktree: path, branch });
  }
  return found;
}

async function listWorktrees(repo: string): Promise<Array<{ path: string; branch: string | undefined }>> {
  const out = await gitOrThrow(execGit, ['worktree', 'list', '--porcelain'], repo);
  const list: Array<{ path: string; branch: string | undefined }> = [];
  for (const line of out.split('\n')) {
    if (line.startsWith('worktree ')) list.push({ path: line.slice('worktree '.length), branch: undefined });
    else if (line.startsWith('branch refs/heads/') && list.length > 0) list[list.length - 1]!.branch = line.slice('branch refs/heads/'.length);
  }
  return list;
}
