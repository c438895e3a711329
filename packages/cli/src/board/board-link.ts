// The board's connection to the daemon: subscribe to events first, then list the tasks, then apply events as
// they come; when the connection drops, say so and reconnect with jittered backoff until the daemon answers again.
import { backoffDelay, type ControlClient, type Project, type Task } from '@vibe/protocol';
import { connect } from '../daemon-connection.js';
import { CliError, EXIT } from '../errors.js';
import { initialState } from './model.js';
import { BoardStore } from './store.js';

/** Reconnect waits: the first about a quarter second, growing to at most 5 s (as `vibe attach` over a link). */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;

/** What the connection may do: the local socket and a control link change things; a view-only link watches. */
export type BoardAccess = 'local' | 'control' | 'view';

/** The project the board shows: by name, else the one holding `cwd` (the deepest), else the only one. */
export function pickProject(projects: readonly Project[], cwd: string, name?: string): Project {
  if (name !== undefined) {
    const named = projects.find((project) => project.name === name);
    if (!named) throw new CliError(`no project named ${JSON.stringify(name)} — \`vibe project ls\` lists them`, EXIT.usage);
    return named;
  }
  const holding = projects
    .filter((project) => cwd === project.path || cwd.startsWith(project.path.endsWith('/') ? project.path : `${project.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (holding) return holding;
  if (projects.length === 1) return projects[0]!;
  throw new CliError(
    projects.length === 0 ? 'no projects yet — run `vibe up` in a git repository' : 'not inside a project — cd into one or pass --project NAME',
    EXIT.usage,
  );
}

/** The board's project, its store and the live link to the daemon: all the board needs before it draws. */
export interface OpenBoard {
  project: Project;
  store: BoardStore;
  link: BoardLink;
  access: BoardAccess;
}

/** Picks the project and loads its tasks on `client`; meant to run while ink loads. Closes `client` on failure. */
export async function openBoard(client: ControlClient, cwd: string, name?: string): Promise<OpenBoard> {
  try {
    const { projects } = await client.request('project.list', {});
    const project = pickProject(projects, cwd, name);
    const store = new BoardStore(initialState(project.name));
    return { project, store, link: await BoardLink.open(store, client), access: client.daemon?.access ?? 'local' };
  } catch (error) {
    client.close();
    throw error;
  }
}

export class BoardLink {
  private disposed = false;
  private timer: NodeJS.Timeout | undefined;
  /** Failed reconnects since the connection was last good: the backoff's exponent. */
  private attempt = 0;

  private constructor(
    private current: ControlClient,
    private readonly store: BoardStore,
  ) {}

  /** Connects (throwing as any command would when there is no daemon), then keeps the store live. */
  static async open(store: BoardStore, first: ControlClient): Promise<BoardLink> {
    const link = new BoardLink(first, store);
    await link.wire(first);
    return link;
  }

  get client(): ControlClient {
    return this.current;
  }

  private async wire(client: ControlClient): Promise<void> {
    client.onEvent((event) => this.store.dispatch({ type: 'event', event }));
    client.onClose(() => {
      if (this.disposed || client !== this.current) return;
      this.store.dispatch({ type: 'connection', connection: 'disconnected' });
      this.scheduleReconnect();
    });
    await client.request('events.subscribe', {});
    const { tasks } = await client.request('task.list', { project: this.store.getState().project });
    this.store.dispatch({ type: 'loaded', tasks });
    // After the subscription, like the tasks: an approval asked meanwhile arrives as an event as well.
    const approvals = await client.request('approval.list', { project: this.store.getState().project, pending: true }).catch(() => undefined);
    if (approvals) this.store.dispatch({ type: 'approvals', approvals: approvals.approvals });
    await this.loadViewers(client, tasks);
    this.attempt = 0;
  }

  /**
   * Who watches each running session, asked once; session.viewers events keep it current after. Each event
   * carries a session's whole list and the daemon sends one for every change, so an event that arrives while
   * a list is asked for is at least as new as the answer: that answer is then dropped. An older daemon has no
   * session.viewers; the board shows nobody watching.
   */
  private async loadViewers(client: ControlClient, tasks: readonly Task[]): Promise<void> {
    const heard = new Set<number>();
    const off = client.onEvent((event) => {
      if (event.name === 'session.viewers') heard.add(event.data.session);
    });
    try {
      const running = tasks.flatMap((task) => (task.session && task.session.state !== 'exited' ? [task.session.id] : []));
      await Promise.all(
        running.map(async (session) => {
          const answer = await client.request('session.viewers', { session }).catch(() => undefined);
          if (answer && !heard.has(session)) this.store.dispatch({ type: 'viewers', session, viewers: answer.viewers });
        }),
      );
    } finally {
      off();
    }
  }

  private scheduleReconnect(): void {
    if (this.disposed) return;
    // Jittered, so boards that lost the same relay do not all knock on it again at the same moment.
    this.timer = setTimeout(() => void this.reconnect(), backoffDelay(this.attempt++, RECONNECT_MIN_MS, RECONNECT_MAX_MS));
  }

  private async reconnect(): Promise<void> {
    let client: ControlClient | undefined;
    try {
      client = (await connect({ timeoutMs: 2000 })).client;
      if (this.disposed) return client.close();
      this.current = client;
      await this.wire(client);
    } catch {
      // A client that got as far as wire() reports its close through onClose, which schedules the next try.
      if (client && client === this.current) client.close();
      else this.scheduleReconnect();
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.current.close();
  }
}
