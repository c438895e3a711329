// Old event payloads in today's shapes: the log is append-only, so fields added since are filled in on read.
import { DEFAULT_PROJECT_SETTINGS } from './project-settings.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Events logged by schema 1 carry projects without `settings` and tasks without `attempts`/`session`. Their
 * values then were exactly the defaults (no settings, no sessions existed), so replay fills those in and a
 * client validating against protocol 1.1 accepts every replayed event.
 */
export function upgradeEventData(data: unknown): unknown {
  if (!isObject(data)) return data;
  const { project, task } = data;
  const oldProject = isObject(project) && !('settings' in project);
  const oldTask = isObject(task) && !('attempts' in task);
  if (!oldProject && !oldTask) return data;
  return {
    ...data,
    ...(oldProject && { project: { ...project, settings: { ...DEFAULT_PROJECT_SETTINGS } } }),
    ...(oldTask && { task: { ...task, attempts: 0, session: null } }),
  };
}
