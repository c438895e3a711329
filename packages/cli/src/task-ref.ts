// Reads task ids as users type them: `3`, `#3` or `PROJECT#3`.
import { currentDirectory } from './cwd.js';
import { UsageError } from './errors.js';

export interface ParsedTaskId {
  number: number;
  /** The project named before the `#`, if any. */
  project?: string;
}

/** Parses a task id; the project part ends at the last `#`, since project names cannot contain one. */
export function parseTaskId(text: string): ParsedTaskId {
  const hash = text.lastIndexOf('#');
  const projectPart = hash === -1 ? undefined : text.slice(0, hash);
  const numberPart = hash === -1 ? text : text.slice(hash + 1);
  const invalid = (): never => {
    throw new UsageError(`invalid task id ${JSON.stringify(text)}: expected a number like 3, #3 or PROJECT#3`);
  };
  if (!/^[1-9][0-9]*$/.test(numberPart)) return invalid();
  const number = Number(numberPart);
  if (!Number.isSafeInteger(number)) return invalid();
  if (projectPart === undefined || projectPart === '') return { number };
  if (projectPart.trim() !== projectPart) return invalid();
  return { number, project: projectPart };
}

/** The project selector and number for a task request: `--project` and the id's own project must agree. */
export function taskRef(id: string, options: { project?: string }): { number: number; project?: string; cwd: string } {
  const parsed = parseTaskId(id);
  if (parsed.project && options.project && parsed.project !== options.project) {
    throw new UsageError(`task id ${JSON.stringify(id)} names project "${parsed.project}" but --project says "${options.project}"`);
  }
  const project = parsed.project ?? options.project;
  const cwd = currentDirectory();
  return project === undefined ? { number: parsed.number, cwd } : { number: parsed.number, project, cwd };
}
