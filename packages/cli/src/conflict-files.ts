// A daemon refusal that names files (a merge or rebase conflict): its message, then one line per file.
import { ProtocolError } from '@vibe/protocol';
import { escapeText } from './escape.js';

/** The files of a `conflict` error's `data.files`, if it has them. */
export function conflictFiles(error: unknown): string[] | undefined {
  if (!(error instanceof ProtocolError) || error.code !== 'conflict') return undefined;
  const files = (error.data as { files?: unknown } | undefined)?.files;
  return Array.isArray(files) && files.length > 0 && files.every((file) => typeof file === 'string') ? files : undefined;
}

/**
 * The same error with the files listed under its message, one per line (escaped here, so a newline in a
 * name cannot split it), and an optional hint last; any other error as it was.
 */
export function withConflictFiles(error: unknown, hint?: string): unknown {
  const files = conflictFiles(error);
  if (!files || !(error instanceof ProtocolError)) return error;
  const lines = [error.message, ...files.map((file) => `  ${escapeText(file)}`), ...(hint ? [hint] : [])];
  return new ProtocolError(error.code, lines.join('\n'), error.data, { cause: error });
}
