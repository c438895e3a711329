// Project settings: defaults, updates logged as project.updated, and stored JSON read forgivingly.
import { Project } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT_SETTINGS } from './index.js';
import { openStore, otherConnection, tempStore } from './temp-store.js';

function oneProject() {
  const { store, path } = tempStore();
  const { project } = store.registerProject({ path: '/src/app', baseBranch: 'main' });
  return { store, path, project };
}

const storedSettings = (path: string) =>
  JSON.parse((otherConnection(path).prepare('SELECT settings FROM projects').get() as { settings: string }).settings) as unknown;

describe('project settings', () => {
  it('start as no setup, no instructions and at most 8 sessions', () => {
    const { project } = oneProject();
    expect(DEFAULT_PROJECT_SETTINGS).toEqual({ setup: null, instructions: null, maxSessions: 8 });
    expect(project.settings).toEqual(DEFAULT_PROJECT_SETTINGS);
  });

  it('change the fields given, log project.updated with the whole project, and survive a reopen', () => {
    const { store, path, project } = oneProject();
    const { project: updated, event } = store.updateProject(project.id, { baseBranch: 'develop', setup: 'npm ci', maxSessions: 3 });
    expect(updated).toEqual({ ...project, baseBranch: 'develop', settings: { setup: 'npm ci', instructions: null, maxSessions: 3 } });
    expect(Project.parse(updated)).toEqual(updated);
    expect(event).toEqual({ seq: 2, at: '2026-01-01T00:00:01.000Z', name: 'project.updated', data: { project: updated } });
    expect(store.eventsSince(1)).toEqual([event]);
    store.close();
    expect(openStore({ path }).getProject(project.id)).toEqual(updated);
  });

  it('clear a field given null and leave a field given undefined alone', () => {
    const { store, project } = oneProject();
    store.updateProject(project.id, { setup: 'make', instructions: 'Run the tests first.' });
    const { project: updated } = store.updateProject(project.id, { setup: null });
    expect(updated.settings).toEqual({ setup: null, instructions: 'Run the tests first.', maxSessions: 8 });
  });

  it('write and log nothing when nothing actually changes', () => {
    const { store, project } = oneProject();
    expect(store.updateProject(project.id, { baseBranch: 'main', setup: null, maxSessions: 8 })).toEqual({ project });
    expect(store.updateProject(project.id, {})).toEqual({ project });
    expect(store.lastEventSeq()).toBe(1);
  });

  it('refuse a maxSessions that is not a positive integer, an unknown project, and a lone surrogate', () => {
    const { store, project } = oneProject();
    for (const maxSessions of [0, -1, 2.5, Number.NaN]) {
      expect(() => store.updateProject(project.id, { maxSessions })).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    }
    expect(() => store.updateProject(project.id, { instructions: 'half \udc00' })).toThrow(expect.objectContaining({ code: 'invalid_params' }));
    expect(() => store.updateProject(42, { setup: 'x' })).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(store.lastEventSeq()).toBe(1);
  });

  it('are read with a default for each missing or mistyped field, keeping keys this build does not know', () => {
    const { store, path, project } = oneProject();
    otherConnection(path).exec(`UPDATE projects SET settings = '{"setup": 7, "maxSessions": "many", "future": {"x": 1}}'`);
    expect(store.getProject(project.id)?.settings).toEqual(DEFAULT_PROJECT_SETTINGS);
    store.updateProject(project.id, { instructions: 'Be brief.' });
    expect(storedSettings(path)).toEqual({ setup: null, instructions: 'Be brief.', maxSessions: 8, future: { x: 1 } });
  });
});
