// Reads `vibe task merge` options: one merge mode at most, and a commit message within the protocol's limit.
import type { MethodParams } from '@vibe/protocol';
import { LIMITS } from '@vibe/protocol';
import { UsageError } from './errors.js';
import { longerThan } from './task-text.js';

export type MergeMode = NonNullable<MethodParams<'task.merge'>['mode']>;

/** As the protocol lists them (MERGE_MODES), repeated here so the command does not load the schemas. */
const MODES: readonly MergeMode[] = ['squash', 'rebase', 'merge'];

export type MergeModeFlags = Partial<Record<MergeMode, boolean>>;

/** The mode the flags ask for; undefined leaves the daemon's default (squash). Two or more is a usage error. */
export function mergeMode(flags: MergeModeFlags): MergeMode | undefined {
  const chosen = MODES.filter((mode) => flags[mode]);
  if (chosen.length > 1) throw new UsageError(`choose one merge mode: ${chosen.map((mode) => `--${mode}`).join(', ')} were given together`);
  return chosen[0];
}

export function checkMessage(message: string): string {
  if (message.trim() === '') throw new UsageError('--message needs text; leave it out for the default message');
  if (longerThan(message, LIMITS.descriptionMax)) throw new UsageError(`the message is longer than ${LIMITS.descriptionMax} characters`);
  return message;
}
