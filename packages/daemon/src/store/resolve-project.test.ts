// Which project a request is about: by name, by cwd, the only one, and the errors that name the choices.
import { ProtocolError } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import type { Store } from './index.js';
import { tempStore } from './temp-store.js';

function withProjects(...paths: string[]): Store {
  const { store } = tempStore();
  for (const path of paths) store.registerProject({ path, baseBranch: 'main' });
  return store;
}

function failure(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('expected a ProtocolError');
}

describe('resolving the project a request is about', () => {
  it('uses the name when one is given, whatever the cwd', () => {
    const store = withProjects('/src/api', '/src/web');
    expect(store.resolveProject({ project: 'web', cwd: '/src/api' }).path).toBe('/src/web');
  });

  it('says which projects exist when the name is unknown', () => {
    const store = withProjects('/src/api', '/src/web');
    const error = failure(() => store.resolveProject({ project: 'wbe' }));
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('no project named "wbe"; registered: api, web');
  });

  it('says none is registered when the name is unknown and there are no projects', () => {
    const store = withProjects();
    expect(failure(() => store.resolveProject({ project: 'x' })).message).toBe('no project named "x"; none is registered yet');
  });

  it('finds the project whose path is the cwd, or contains it', () => {
    const store = withProjects('/src/api', '/src/web');
    expect(store.resolveProject({ cwd: '/src/web' }).name).toBe('web');
    expect(store.resolveProject({ cwd: '/src/web/' }).name).toBe('web');
    expect(store.resolveProject({ cwd: '/src/api/lib/deep/down' }).name).toBe('api');
  });

  it('prefers the deepest project when projects are nested', () => {
    const store = withProjects('/src/mono', '/src/mono/packages/tool', '/src/other');
    expect(store.resolveProject({ cwd: '/src/mono/packages/tool/src' }).name).toBe('tool');
    expect(store.resolveProject({ cwd: '/src/mono/packages' }).name).toBe('mono');
  });

  it('does not take /a/foo for a parent of /a/foobar', () => {
    const store = withProjects('/a/foo', '/a/foobar/x');
    const error = failure(() => store.resolveProject({ cwd: '/a/foobar' }));
    expect(error.code).toBe('project_required');
    expect(store.resolveProject({ cwd: '/a/foo/bar' }).name).toBe('foo');
  });

  it('uses the only project when there is one and the cwd is elsewhere or not given', () => {
    const store = withProjects('/src/api');
    expect(store.resolveProject({}).name).toBe('api');
    expect(store.resolveProject({ cwd: '/tmp' }).name).toBe('api');
  });

  it('asks for --project or a cd, listing the names, when several projects exist and none matches', () => {
    const store = withProjects('/src/api', '/src/web');
    const error = failure(() => store.resolveProject({ cwd: '/tmp' }));
    expect(error.code).toBe('project_required');
    expect(error.message).toBe('/tmp is not inside a registered project; pass --project NAME or cd into a project (registered: api, web)');
    expect(failure(() => store.resolveProject({})).message).toBe('pass --project NAME or cd into a project (registered: api, web)');
  });

  it('tells the user to run vibe up when no project is registered', () => {
    const error = failure(() => withProjects().resolveProject({ cwd: '/src/app' }));
    expect(error.code).toBe('project_required');
    expect(error.message).toBe('no project is registered yet; run `vibe up` in a repository');
  });

  it('does not match a relative cwd against anything', () => {
    const store = withProjects('/src/api', '/src/web');
    expect(failure(() => store.resolveProject({ cwd: 'src/api' })).code).toBe('project_required');
  });
});
