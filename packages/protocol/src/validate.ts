// Validation at the edge: turns unknown input into a typed value or a ProtocolError naming what is wrong.
import type { z } from 'zod';
import { ProtocolError, type ErrorCode } from './errors.js';

export interface Issue {
  path: string;
  message: string;
}

/** Parses `value` with `schema`; on failure throws ProtocolError(code) listing each issue by path. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, code: ErrorCode, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues: Issue[] = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const summary = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'invalid';
  throw new ProtocolError(code, `invalid ${what}: ${summary}`, { issues });
}
