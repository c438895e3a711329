// Project settings: kept as JSON in projects.settings, read back with defaults, changed by a patch.
import { ProtocolError, type ProjectSettings } from '@vibe/protocol';
import type { FullProject } from './store-types.js';

/** What a project has before `vibe project set` changes anything (and what a v1 database's '{}' means). */
export const DEFAULT_PROJECT_SETTINGS: Readonly<ProjectSettings> = { setup: null, instructions: null, maxSessions: 8 };

/** The JSON text as an object; anything else (it cannot fail json_valid, but could be an array) is empty. */
export function parseObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Each field taken from the stored JSON when it has the right type, else its default. */
export function readSettings(text: string): ProjectSettings {
  const stored = parseObject(text);
  const textOrNull = (value: unknown, fallback: string | null): string | null =>
    typeof value === 'string' || value === null ? value : fallback;
  const max = stored['maxSessions'];
  return {
    setup: textOrNull(stored['setup'], DEFAULT_PROJECT_SETTINGS.setup),
    instructions: textOrNull(stored['instructions'], DEFAULT_PROJECT_SETTINGS.instructions),
    maxSessions: typeof max === 'number' && Number.isInteger(max) && max >= 1 ? max : DEFAULT_PROJECT_SETTINGS.maxSessions,
  };
}

export interface UpdateProjectInput {
  baseBranch?: string;
  /** null clears it; undefined leaves it alone (as for instructions). */
  setup?: string | null;
  instructions?: string | null;
  maxSessions?: number;
}

/** `current` with the patch applied, or undefined when nothing would actually change. */
export function applySettings(current: FullProject, patch: UpdateProjectInput): FullProject | undefined {
  const max = patch.maxSessions;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw new ProtocolError('invalid_params', `maxSessions must be a positive integer (got ${max})`, { field: 'maxSessions' });
  }
  const was = current.settings;
  const settings: ProjectSettings = {
    setup: patch.setup === undefined ? was.setup : patch.setup,
    instructions: patch.instructions === undefined ? was.instructions : patch.instructions,
    maxSessions: max ?? was.maxSessions,
  };
  const baseBranch = patch.baseBranch ?? current.baseBranch;
  const same = baseBranch === current.baseBranch && (Object.keys(settings) as (keyof ProjectSettings)[]).every((key) => settings[key] === was[key]);
  return same ? undefined : { ...current, baseBranch, settings };
}
