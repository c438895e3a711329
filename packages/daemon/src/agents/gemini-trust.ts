// Whether Gemini CLI trusts a folder, read from its own trustedFolders.json the way it reads it: the
// longest matching rule wins, TRUST_PARENT covers the rule's parent folder, DO_NOT_TRUST refuses. Gemini
// loads a folder's settings (and so vibe's hooks) only in a trusted folder.
import { readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** True or false when a rule (or the environment) decides; undefined when Gemini would ask. */
export type Trust = boolean | undefined;

/** Where Gemini CLI keeps the folders a user trusted; like Gemini, an empty variable counts as unset. */
export function trustedFoldersPath(env: Env = process.env): string {
  return env.GEMINI_CLI_TRUSTED_FOLDERS_PATH || join(env.GEMINI_CLI_HOME || homedir(), '.gemini', 'trustedFolders.json');
}

/**
 * Gemini's ruling on `folder`. The environment comes first, as in Gemini (`GEMINI_CLI_TRUST_WORKSPACE`,
 * restricted mode). A file that is missing or unreadable decides nothing, so Gemini itself will ask.
 */
export function geminiTrust(folder: string, env: Env = process.env): Trust {
  if (env.GEMINI_RESTRICTED_MODE === 'true' || env.GEMINI_CLI_TRUST_WORKSPACE === 'false') return false;
  if (env.GEMINI_CLI_TRUST_WORKSPACE === 'true') return true;
  const rules = readRules(trustedFoldersPath(env));
  const location = real(folder);
  let longest = -1;
  let ruling: Trust;
  for (const [rulePath, level] of rules) {
    const covered = level === 'TRUST_PARENT' ? dirname(rulePath) : rulePath;
    if (!isWithin(real(covered), location) || rulePath.length <= longest) continue;
    longest = rulePath.length;
    ruling = level === 'DO_NOT_TRUST' ? false : level === 'TRUST_FOLDER' || level === 'TRUST_PARENT' ? true : undefined;
  }
  return ruling;
}

/**
 * Fails safe: a file vibe cannot parse (Gemini also allows comments in it) yields no rules, so nothing is
 * inherited and Gemini asks. A relative rule is resolved against the daemon's directory, not Gemini's, so
 * it matches nothing vibe makes.
 */
function readRules(path: string): Array<[string, unknown]> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : [];
  } catch {
    return [];
  }
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
