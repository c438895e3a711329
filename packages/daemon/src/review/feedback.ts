// Review feedback, diffs and history: what a person reads of an attempt, and what they say back to its agent.
import { ProtocolError, type MethodParams, type MethodResult } from '@vibe/protocol';
import { attemptDiff } from '../worktrees/index.js';
import { deliver, locate, type ReviewOptions } from './context.js';

export async function diff(options: ReviewOptions, params: MethodParams<'task.diff'>): Promise<MethodResult<'task.diff'>> {
  const { project, session } = locate(options, params);
  const result = await attemptDiff({ repo: project.path, worktree: session.worktree, baseBranch: project.baseBranch, branch: session.branch, stat: params.stat });
  return { base: project.baseBranch, branch: session.branch, ...result };
}

/**
 * Sends the comment to the attempt's agent, or restarts it with the comment as its prompt, and only then
 * logs task.reviewed (feedback that never arrived is not history). A live agent that takes the feedback
 * works again, so its task moves back from review to in progress; a restart moves it when it starts.
 */
export async function review(options: ReviewOptions, params: MethodParams<'task.review'>): Promise<MethodResult<'task.review'>> {
  const { project, task, session } = locate(options, params);
  if (task.status === 'done' || task.status === 'cancelled') {
    throw new ProtocolError('illegal_transition', `task ${task.number} is ${task.status}; review feedback would reach no one`);
  }
  const outcome = await deliver(options, project, session, params.comment);
  const { events } = options.store.recordReview(project.id, task.number, { attempt: outcome.session.attempt, comment: params.comment, backToWork: outcome.delivered === 'sent' });
  for (const event of events) options.publish(event);
  return outcome;
}

export function log(options: ReviewOptions, params: MethodParams<'task.log'>): MethodResult<'task.log'> {
  const project = options.store.resolveProject(params);
  const entries = options.store.taskEvents(project.id, params.number);
  if (entries.length === 0) throw new ProtocolError('not_found', `no task ${params.number} in project "${project.name}"`);
  return { entries };
}
