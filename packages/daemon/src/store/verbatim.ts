// The one guard the store needs so that text comes back exactly as it went in.
import { ProtocolError } from '@vibe/protocol';

/**
 * Refuses a string with a lone UTF-16 surrogate. Everything else (NUL, escape sequences, any real Unicode)
 * is stored byte for byte, but a lone surrogate has no UTF-8 form: SQLite would silently store U+FFFD and the
 * text would come back changed. Refusing keeps the promise that what is stored is what was sent.
 */
export function assertWellFormed(field: string, text: string): void {
  if (/[\ud800-\udfff]/u.test(text)) {
    throw new ProtocolError('invalid_params', `${field} contains a lone UTF-16 surrogate (not valid Unicode)`, {
      field,
    });
  }
}
