// Checks task titles and descriptions against the protocol's limits before they are sent, as the daemon would.
import { LIMITS } from '@vibe/protocol';
import { UsageError } from './errors.js';

/** A title the daemon would accept: not blank, at most LIMITS.titleMax code points. */
export function checkTitle(title: string): string {
  if (title.trim() === '') throw new UsageError('the task title must not be empty');
  if (longerThan(title, LIMITS.titleMax)) throw new UsageError(`title is longer than ${LIMITS.titleMax} characters`);
  return title;
}

/** A description the daemon would accept: at most LIMITS.descriptionMax code points. */
export function checkDescription(description: string): string {
  if (longerThan(description, LIMITS.descriptionMax)) throw descriptionTooLong();
  return description;
}

export function descriptionTooLong(): UsageError {
  return new UsageError(`description is longer than ${LIMITS.descriptionMax} characters`);
}

/**
 * Whether `text` has more than `max` code points, counted as the schemas count them ([...text].length).
 * A code point is one or two UTF-16 units, so the length settles most cases without splitting the string.
 */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > 2 * max) return true;
  return [...text].length > max;
}
