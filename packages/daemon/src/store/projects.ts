// The projects table: rows to wire shapes, lookups, registration, settings and the per-project task counter.
import { ProtocolError } from '@vibe/protocol';
import type { Db } from './database.js';
import { defaultProjectName, nameCandidate, normalizePath } from './project-paths.js';
import { parseObject, readSettings } from './project-settings.js';
import type { FullProject } from './store-types.js';

interface ProjectRow {
  id: number;
  name: string;
  path: string;
  base_branch: string;
  created_at: string;
  settings: string;
}

const COLUMNS = 'id, name, path, base_branch, created_at, settings';

function toProject(row: ProjectRow): FullProject {
  return {
    id: row.id,
    name: row.name,
    path: row.path,
    baseBranch: row.base_branch,
    createdAt: row.created_at,
    settings: readSettings(row.settings),
  };
}

export interface RegisterProjectInput {
  /** Absolute path of the repository top level. */
  path: string;
  baseBranch: string;
  /** Defaults to the folder name, made unique with -2, -3, …; an explicit name must be free. */
  name?: string;
}

export class ProjectTable {
  private readonly all;
  private readonly byId;
  private readonly byName;
  private readonly byPath;
  private readonly insert;
  private readonly takeNumber;
  private readonly settingsText;
  private readonly update;

  constructor(db: Db) {
    this.all = db.prepare<[], ProjectRow>(`SELECT ${COLUMNS} FROM projects ORDER BY name`);
    this.byId = db.prepare<[number], ProjectRow>(`SELECT ${COLUMNS} FROM projects WHERE id = ?`);
    this.byName = db.prepare<[string], ProjectRow>(`SELECT ${COLUMNS} FROM projects WHERE name = ?`);
    this.byPath = db.prepare<[string], ProjectRow>(`SELECT ${COLUMNS} FROM projects WHERE path = ?`);
    this.insert = db.prepare<[string, string, string, string], ProjectRow>(
      `INSERT INTO projects (name, path, base_branch, created_at) VALUES (?, ?, ?, ?) RETURNING ${COLUMNS}`,
    );
    // Hands out the next number and advances the counter in one statement; numbers are never reused.
    this.takeNumber = db.prepare<[number], { number: number; name: string }>(
      'UPDATE projects SET next_task_number = next_task_number + 1 WHERE id = ? RETURNING next_task_number - 1 AS number, name',
    );
    this.settingsText = db.prepare<[number], { settings: string }>('SELECT settings FROM projects WHERE id = ?');
    this.update = db.prepare<[string, string, number]>('UPDATE projects SET base_branch = ?, settings = ? WHERE id = ?');
  }

  list(): FullProject[] {
    return this.all.all().map(toProject);
  }

  get(id: number): FullProject | undefined {
    const row = this.byId.get(id);
    return row && toProject(row);
  }

  /** Like get, but a missing project is a `not_found` for the caller. */
  require(id: number): FullProject {
    const project = this.get(id);
    if (!project) throw new ProtocolError('not_found', `no project with id ${id}`);
    return project;
  }

  getByName(name: string): FullProject | undefined {
    const row = this.byName.get(name);
    return row && toProject(row);
  }

  getByPath(path: string): FullProject | undefined {
    const row = this.byPath.get(normalizePath(path));
    return row && toProject(row);
  }

  /** Inserts a project whose path is not registered yet; call inside a write transaction. */
  insertNew(input: RegisterProjectInput, createdAt: string): FullProject {
    const path = normalizePath(input.path);
    let name: string;
    if (input.name !== undefined) {
      const holder = this.byName.get(input.name);
      if (holder) {
        throw new ProtocolError('conflict', `project name "${input.name}" is already used by ${holder.path}; choose another name`, {
          name: input.name,
          path: holder.path,
        });
      }
      name = input.name;
    } else {
      const base = defaultProjectName(path);
      let n = 1;
      while (this.byName.get(nameCandidate(base, n))) n += 1;
      name = nameCandidate(base, n);
    }
    const row = this.insert.get(name, path, input.baseBranch, createdAt);
    if (!row) throw new Error('INSERT … RETURNING gave no row');
    return toProject(row);
  }

  /**
   * Writes the base branch and settings of `project` over its row. Keys in the stored settings that this
   * build does not know are kept, so an older daemon sharing the file never erases a newer one's settings.
   */
  writeSettings(project: FullProject): void {
    const stored = this.settingsText.get(project.id)?.settings ?? '{}';
    const merged = { ...parseObject(stored), ...project.settings };
    this.update.run(project.baseBranch, JSON.stringify(merged), project.id);
  }

  /** Takes the project's next task number; call inside the transaction that inserts the task. */
  takeTaskNumber(projectId: number): { number: number; projectName: string } {
    const row = this.takeNumber.get(projectId);
    if (!row) throw new ProtocolError('not_found', `no project with id ${projectId}`);
    return { number: row.number, projectName: row.name };
  }
}
