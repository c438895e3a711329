// Review and landing: an attempt's diff, feedback to its agent, merge, rebase, pull request, history, cleanup.
import { z } from 'zod';
import { LIMITS, REPO_NAME_PATTERN } from '../limits.js';
import { Session } from './session.js';
import { Task, TaskRef } from './task.js';

/** Which attempt: by default the task's newest. @since 1.2 */
export const AttemptRef = TaskRef.extend({ attempt: z.number().int().positive().optional().describe('Default: the newest attempt') });

export const DiffFile = z.object({
  path: z.string(),
  oldPath: z.string().nullable().describe('For renames'),
  status: z.enum(['added', 'modified', 'deleted', 'renamed']),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  binary: z.boolean(),
});
export type DiffFile = z.infer<typeof DiffFile>;

export const TaskDiffParams = AttemptRef.extend({ stat: z.boolean().optional().describe('Files only, no patch text') });
export const TaskDiffResult = z.object({
  base: z.string().describe('Base branch name'),
  branch: z.string(),
  mergeBase: z.string().describe('Commit the attempt forked from'),
  files: z.array(DiffFile),
  patch: z.string().describe('Unified diff against the merge base, uncommitted and untracked changes included'),
  truncated: z.boolean().describe('True when the patch was cut at the size limit'),
});

export const TaskReviewParams = AttemptRef.extend({ comment: z.string().min(1).max(LIMITS.descriptionMax) });
export const TaskReviewResult = z.object({
  delivered: z.enum(['sent', 'restarted']).describe('Typed into the running agent, or a new run started in the same worktree'),
  session: Session,
});

export const MERGE_MODES = ['squash', 'rebase', 'merge'] as const;
export const TaskMergeParams = AttemptRef.extend({
  mode: z.enum(MERGE_MODES).optional().describe('Default squash'),
  message: z.string().min(1).max(LIMITS.descriptionMax).optional(),
  keepBranch: z.boolean().optional(),
  force: z.boolean().optional().describe('Merge even while the agent is still working'),
});
export const TaskMergeResult = z.object({ task: Task, commit: z.string(), mode: z.enum(MERGE_MODES) });

export const TaskRebaseParams = AttemptRef.extend({ askAgent: z.boolean().optional() });
export const TaskRebaseResult = z.object({
  outcome: z.enum(['rebased', 'up_to_date', 'conflict', 'handed_to_agent']),
  files: z.array(z.string()).describe('Conflicting files, when there were conflicts'),
});


export const TaskPrParams = AttemptRef.extend({
  draft: z.boolean().optional(),
  remote: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^-\s][^\s]*$/)
    .optional()
    .describe('@since 1.3: the git remote to push to. Default: remote.pushDefault, else origin, else the only remote'),
  repo: z
    .string()
    .max(300)
    .regex(REPO_NAME_PATTERN)
    .optional()
    .describe("@since 1.3: the GitHub repository to open the pull request in, [HOST/]OWNER/NAME. Default: the one `gh repo set-default` chose, else the upstream remote's, else origin's"),
});
export const TaskPrResult = z.object({
  remote: z.string(),
  pushed: z.boolean(),
  via: z.enum(['gh', 'compare']),
  url: z.string().describe('The pull request (via gh) or the page to open one; empty when no web page is known for the remote'),
  existing: z.boolean().optional().describe('@since 1.2: gh found a pull request for the branch open already; url is that one'),
  repo: z.string().optional().describe('@since 1.3: the GitHub repository the pull request is for, [HOST/]OWNER/NAME; absent for other hosts'),
});

export const TaskLogParams = TaskRef;

export const GcParams = z.object({ dryRun: z.boolean().optional(), force: z.boolean().optional() });
const GcEntry = z.object({ project: z.string(), taskNumber: z.number().int(), attempt: z.number().int(), worktree: z.string(), branch: z.string() });
export const GcResult = z.object({
  removed: z.array(GcEntry),
  kept: z.array(GcEntry.extend({ reason: z.string() })),
});
