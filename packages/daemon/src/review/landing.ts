// Landing an attempt on the base branch and bringing it up to date first: the checks, stopping the agent,
// the git work (worktrees room), and the task's move to done with its events (store).
import { ProtocolError, type MethodParams, type MethodResult } from '@vibe/protocol';
import { abortRebase, applyMerge, planMerge, rebaseAttempt, removeWorktree, type MergeOptions } from '../worktrees/index.js';
import { deliver, locate, requireQuiet, type ReviewOptions } from './context.js';

export async function merge(options: ReviewOptions, params: MethodParams<'task.merge'>): Promise<MethodResult<'task.merge'>> {
  const { store, attempts, logger } = options;
  const { project, task, session } = locate(options, params);
  if (task.status === 'done' || task.status === 'cancelled') {
    throw new ProtocolError('illegal_transition', `task ${task.number} is ${task.status}; there is nothing to merge`, { from: task.status, to: 'done' });
  }
  const live = params.force ? store.listSessions({ projectId: project.id, taskNumber: task.number, live: true }) : requireQuiet(options, project, task.number, 'merging (or pass --force)');
  const mode = params.mode ?? 'squash';
  const mergeOptions: MergeOptions = {
    repo: project.path,
    baseBranch: project.baseBranch,
    branch: session.branch,
    worktree: session.worktree,
    mode,
    message: params.message ?? (task.description ? `${task.title}\n\n${task.description}` : task.title),
    taskNumber: task.number,
  };
  let plan = await planMerge(mergeOptions);
  if (live.length > 0) {
    // The task is about to be done: its agents stop first, so none writes into a worktree being removed.
    await attempts.stop({ project: project.name, number: task.number });
    plan = await planMerge(mergeOptions);
  }
  const commit = await applyMerge(mergeOptions, plan);
  let recorded;
  try {
    recorded = store.recordMerge(project.id, task.number, { attempt: session.attempt, branch: session.branch, commit, mode });
  } catch (error) {
    // The commit is on the base branch already; say so, or a retry would only find "nothing to merge".
    logger.error('merged, but recording the merge failed', { commit, error });
    const why = error instanceof Error ? error.message : String(error);
    throw new ProtocolError(
      'internal',
      `the attempt landed on ${project.baseBranch} as ${commit.slice(0, 12)}, but recording it failed (${why}); move the task to done with \`vibe task mv ${task.number} done\` once the daemon is healthy`,
      { commit },
      { cause: error },
    );
  }
  for (const event of recorded.events) options.publish(event);
  try {
    // Forced: the work has landed, and anything left in the worktree was refused by planMerge already.
    await removeWorktree({ repo: project.path, path: session.worktree, branch: session.branch, force: true, keepBranch: params.keepBranch ?? false });
  } catch (error) {
    logger.warn('merged, but the worktree could not be removed; `vibe gc` will retry', { worktree: session.worktree, error });
  }
  return { task: recorded.task, commit, mode };
}

/**
 * Rebases the attempt onto its base. With askAgent a conflict stays in progress and goes to the agent (typed
 * into it, or the agent restarted with it); if it cannot be handed over, the rebase is undone.
 */
export async function rebase(options: ReviewOptions, params: MethodParams<'task.rebase'>): Promise<MethodResult<'task.rebase'>> {
  const { store } = options;
  const { project, task, session } = locate(options, params);
  requireQuiet(options, project, task.number, 'rebasing');
  const askAgent = params.askAgent ?? false;
  const result = await rebaseAttempt({ repo: project.path, worktree: session.worktree, baseBranch: project.baseBranch, keepConflict: askAgent });
  if (result.outcome !== 'conflict' || !askAgent) return result;
  const prompt = [
    `Rebasing this branch onto ${project.baseBranch} stopped with conflicts in: ${result.files.join(', ')}.`,
    'Resolve the conflicts in those files, `git add` them and run `git rebase --continue` (repeat until the rebase is complete).',
  ].join('\n');
  try {
    const outcome = await deliver(options, project, session, prompt);
    if (outcome.delivered === 'sent' && store.getTask(project.id, task.number).status === 'in_review') {
      options.publish(store.moveTask(project.id, task.number, 'in_progress').event);
    }
  } catch (error) {
    await abortRebase(session.worktree);
    throw error;
  }
  return { outcome: 'handed_to_agent', files: result.files };
}
