// Picks the project a request is about: by name, else by the client's directory, else the only one.
import { ProtocolError, type Project, type ProjectSelector } from '@vibe/protocol';
import { isInside } from './project-paths.js';

function nameList(projects: readonly Project[]): string {
  return projects.map((p) => p.name).join(', ');
}

/**
 * Resolution order: an explicit name (which must exist); the project whose path is `cwd` or the deepest
 * one containing it; the only registered project. Anything else asks the user to name one.
 */
export function resolveProject<P extends Project>(projects: readonly P[], selector: ProjectSelector): P {
  if (selector.project !== undefined) {
    const named = projects.find((p) => p.name === selector.project);
    if (named) return named;
    const registered = projects.length > 0 ? `registered: ${nameList(projects)}` : 'none is registered yet';
    throw new ProtocolError('not_found', `no project named "${selector.project}"; ${registered}`, {
      project: selector.project,
      registered: projects.map((p) => p.name),
    });
  }
  if (selector.cwd !== undefined) {
    const cwd = selector.cwd;
    const containing = projects.filter((p) => isInside(cwd, p.path));
    const deepest = containing.sort((a, b) => b.path.length - a.path.length)[0];
    if (deepest) return deepest;
  }
  const only = projects.length === 1 ? projects[0] : undefined;
  if (only) return only;
  if (projects.length === 0) {
    throw new ProtocolError('project_required', 'no project is registered yet; run `vibe up` in a repository', {
      registered: [],
    });
  }
  const where = selector.cwd !== undefined ? `${selector.cwd} is not inside a registered project; ` : '';
  throw new ProtocolError(
    'project_required',
    `${where}pass --project NAME or cd into a project (registered: ${nameList(projects)})`,
    { registered: projects.map((p) => p.name) },
  );
}
