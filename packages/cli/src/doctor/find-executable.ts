// Finds a program on PATH the way a shell would, without running `which`.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

/** The first executable regular file named `name` in the directories of `pathVariable`. */
export async function findExecutable(name: string, pathVariable: string | undefined): Promise<string | undefined> {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    // An empty entry means the current directory to a shell; a health check should not trust that.
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}
