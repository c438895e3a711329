// Serves the review and landing methods (protocol 1.2): each is a call into the review room.
import type { MethodName, MethodParams, MethodResult } from '@vibe/protocol';
import * as review from '../review/index.js';
import type { ReviewOptions } from '../review/index.js';

type ReviewMethod = 'task.diff' | 'task.review' | 'task.merge' | 'task.rebase' | 'task.pr' | 'task.log' | 'worktree.gc';
type Handler<M extends MethodName> = (params: MethodParams<M>) => MethodResult<M> | Promise<MethodResult<M>>;

export function createReviewHandlers(options: ReviewOptions): { [M in ReviewMethod]: Handler<M> } {
  return {
    'task.diff': (params) => review.diff(options, params),
    'task.review': (params) => review.review(options, params),
    'task.merge': (params) => review.merge(options, params),
    'task.rebase': (params) => review.rebase(options, params),
    'task.pr': (params) => review.pullRequest(options, params),
    'task.log': (params) => review.log(options, params),
    'worktree.gc': (params) => review.gc(options, params),
  };
}
