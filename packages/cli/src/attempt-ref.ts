// Reads which attempt a review command means: the task id as everywhere, plus `--attempt N` (default: the newest).
import { UsageError } from './errors.js';
import { taskRef } from './task-ref.js';

export interface AttemptOptions {
  project?: string;
  attempt?: string;
}

export function parseAttempt(text: string): number {
  const trimmed = text.trim();
  if (!/^[1-9][0-9]*$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw new UsageError(`--attempt expects an attempt number like 1 or 2, got ${JSON.stringify(text)}`);
  }
  return Number(trimmed);
}

/** The task reference for a request, with `attempt` only when --attempt was given. */
export function attemptRef(id: string, options: AttemptOptions): ReturnType<typeof taskRef> & { attempt?: number } {
  const ref = taskRef(id, options);
  return options.attempt === undefined ? ref : { ...ref, attempt: parseAttempt(options.attempt) };
}
