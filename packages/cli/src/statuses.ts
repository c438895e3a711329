// Reads task statuses from the command line, accepting `in-progress` as well as `in_progress`.
import { TASK_STATUSES, isTaskStatus, type TaskStatus } from '@vibe/protocol';
import { UsageError } from './errors.js';

export function parseStatus(text: string): TaskStatus {
  const normalised = text.trim().toLowerCase().replaceAll('-', '_');
  if (isTaskStatus(normalised)) return normalised;
  throw new UsageError(`unknown status ${JSON.stringify(text)}: use one of ${TASK_STATUSES.join(', ')}`);
}

/** Parses repeated and comma-separated values (`--status todo,in-progress --status done`), deduplicated. */
export function parseStatusList(values: readonly string[]): TaskStatus[] {
  const statuses = new Set<TaskStatus>();
  for (const value of values) {
    for (const part of value.split(',')) {
      if (part.trim() === '') continue;
      statuses.add(parseStatus(part));
    }
  }
  return [...statuses];
}

