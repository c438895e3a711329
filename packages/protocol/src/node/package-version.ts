// The version of the installed vibe, read at run time from the package.json nearest above the running file:
// the one package's in an install (where the daemon and relay builds sit inside the CLI's), each workspace's
// in a checkout. Read, not bundled in, so the version a package says it is and the version it runs are one.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `version` of the nearest package.json at or above the directory of `moduleUrl`; '0.0.0' if none. */
export function packageVersion(moduleUrl: string): string {
  for (let dir = dirname(fileURLToPath(moduleUrl)); ; dir = dirname(dir)) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, 'package.json'), 'utf8');
    } catch {
      // No package.json here; look further up.
    }
    if (text !== undefined) {
      const { version } = JSON.parse(text) as { version?: unknown };
      return typeof version === 'string' ? version : '0.0.0';
    }
    if (dirname(dir) === dir) return '0.0.0';
  }
}

/** -1, 0 or 1 as semantic version `a` is older than, the same as or newer than `b` (pre-releases sort first). */
export function compareVersions(a: string, b: string): number {
  const parse = (text: string): { core: number[]; pre: string | undefined } => {
    const [main = '', pre] = text.replace(/^v/, '').split('+')[0]!.split(/-(.*)/s);
    return { core: main.split('.').map((part) => Number.parseInt(part, 10) || 0), pre: pre || undefined };
  };
  const left = parse(a);
  const right = parse(b);
  for (let i = 0; i < 3; i++) {
    const difference = (left.core[i] ?? 0) - (right.core[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  if (left.pre === right.pre) return 0;
  if (left.pre === undefined) return 1;
  if (right.pre === undefined) return -1;
  return comparePrerelease(left.pre.split('.'), right.pre.split('.'));
}

/** Semver's order of pre-release identifiers: numbers numerically and before words, then the shorter list first. */
function comparePrerelease(left: string[], right: string[]): number {
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const a = left[i]!;
    const b = right[i]!;
    if (a === b) continue;
    const numeric = [/^\d+$/.test(a), /^\d+$/.test(b)];
    if (numeric[0] && numeric[1]) return Math.sign(Number(a) - Number(b));
    if (numeric[0] !== numeric[1]) return numeric[0] ? -1 : 1;
    return a < b ? -1 : 1;
  }
  return Math.sign(left.length - right.length);
}
