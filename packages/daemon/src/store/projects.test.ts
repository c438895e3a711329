// Registering and looking up projects: idempotence by path, default and duplicate names.
import { LIMITS, ProjectName } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { tempStore } from './temp-store.js';

describe('registering projects', () => {
  it('creates a project named after its folder and logs project.registered', () => {
    const { store } = tempStore();
    const result = store.registerProject({ path: '/home/me/src/myapp', baseBranch: 'main' });
    expect(result).toEqual({
      project: {
        id: 1,
        name: 'myapp',
        path: '/home/me/src/myapp',
        baseBranch: 'main',
        createdAt: '2026-01-01T00:00:00.000Z',
        settings: { setup: null, instructions: null, maxSessions: 8 },
      },
      created: true,
      event: {
        seq: 1,
        at: '2026-01-01T00:00:00.000Z',
        name: 'project.registered',
        data: { project: result.project },
      },
    });
    expect(store.eventsSince(0)).toEqual([result.event]);
  });

  it('is idempotent by path: the same path returns the existing project, created false, and logs nothing', () => {
    const { store } = tempStore();
    const first = store.registerProject({ path: '/src/app', baseBranch: 'main' });
    const again = store.registerProject({ path: '/src/app/', baseBranch: 'develop', name: 'other' });
    expect(again).toEqual({ project: first.project, created: false });
    expect(store.listProjects()).toEqual([first.project]);
    expect(store.lastEventSeq()).toBe(1);
  });

  it('stores the path normalised, so /src/./app/ and /src/app are one project', () => {
    const { store } = tempStore();
    const { project } = store.registerProject({ path: '/src/./app/', baseBranch: 'main' });
    expect(project.path).toBe('/src/app');
    expect(store.registerProject({ path: '/src/app', baseBranch: 'main' }).created).toBe(false);
    expect(store.listProjects().find((p) => p.path === '/src/app')).toEqual(project);
  });

  it('gives a second folder with the same name -2, a third -3', () => {
    const { store } = tempStore();
    const names = ['/a/web', '/b/web', '/c/web'].map((path) => store.registerProject({ path, baseBranch: 'main' }).project.name);
    expect(names).toEqual(['web', 'web-2', 'web-3']);
  });

  it('uses an explicit name when given, and refuses one already taken with conflict', () => {
    const { store } = tempStore();
    expect(store.registerProject({ path: '/a/web', baseBranch: 'main', name: 'site' }).project.name).toBe('site');
    expect(() => store.registerProject({ path: '/b/web', baseBranch: 'main', name: 'site' })).toThrow(
      expect.objectContaining({ code: 'conflict', message: 'project name "site" is already used by /a/web; choose another name' }),
    );
    expect(store.listProjects()).toHaveLength(1);
    expect(store.lastEventSeq()).toBe(1);
  });

  it('makes a valid project name from a folder name with "#", control characters or too many characters', () => {
    const { store } = tempStore();
    const long = 'x'.repeat(150);
    const names = [`/a/it#1`, `/a/tab\there`, `/a/${long}`, `/b/${long}`].map(
      (path) => store.registerProject({ path, baseBranch: 'main' }).project.name,
    );
    expect(names).toEqual(['it-1', 'tab-here', 'x'.repeat(LIMITS.projectNameMax), `${'x'.repeat(LIMITS.projectNameMax - 2)}-2`]);
    for (const name of names) expect(ProjectName.safeParse(name).success).toBe(true);
  });

  it('does not split an emoji when cutting a long folder name to the limit', () => {
    const { store } = tempStore();
    const path = `/a/${'x'.repeat(LIMITS.projectNameMax - 1)}😀`;
    const { name } = store.registerProject({ path, baseBranch: 'main' }).project;
    expect(name).toBe('x'.repeat(LIMITS.projectNameMax - 1));
  });

  it('names the project at / "project"', () => {
    const { store } = tempStore();
    expect(store.registerProject({ path: '/', baseBranch: 'main' }).project.name).toBe('project');
  });

  it('refuses text with a lone surrogate instead of storing it altered', () => {
    const { store } = tempStore();
    expect(() => store.registerProject({ path: '/a/\ud800', baseBranch: 'main' })).toThrow(
      expect.objectContaining({ code: 'invalid_params' }),
    );
    expect(store.listProjects()).toEqual([]);
  });
});

describe('looking projects up', () => {
  it('lists projects by name and finds them by name, id and path', () => {
    const { store } = tempStore();
    const zeta = store.registerProject({ path: '/src/zeta', baseBranch: 'main' }).project;
    const alpha = store.registerProject({ path: '/src/alpha', baseBranch: 'trunk' }).project;
    expect(store.listProjects()).toEqual([alpha, zeta]);
    expect(store.getProjectByName('zeta')).toEqual(zeta);
    expect(store.getProjectByName('nope')).toBeUndefined();
    expect(store.getProject(alpha.id)).toEqual(alpha);
    expect(store.getProject(999)).toBeUndefined();
    expect(store.listProjects().find((p) => p.path === '/src/alpha')).toEqual(alpha);
  });
});
