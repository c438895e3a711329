// The daemon's machine for the web view's tests, through the real CLI: a sandbox (its own VIBE_HOME, the file
// secret store since there is no keychain here), one git repository registered as project `app`, custom
// agents, links made by `vibe connect`, and what the daemon says of tasks and sessions.
import type { ControlClient } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { fakeAgent, Sandbox } from '../../../cli/test/harness.js';

export { fakeAgent };

export interface Link {
  /** What a user opens: the relay's page with the link in the fragment. */
  url: string;
  daemonId: string;
  /** The embedded relay's process (the daemon's child), null for a remote relay. */
  relayPid: number | null;
}

export interface TaskJson {
  number: number;
  title: string;
  description: string;
  status: string;
  agent: string | null;
  session?: { id: number; state: string; agent: string } | null;
}

export interface SessionJson {
  id: number;
  taskNumber: number;
  agent: string;
  state: string;
  worktree: string;
  branch: string;
  cols: number;
  rows: number;
}

/** What goes in the daemon's config.json. */
export interface OwnerConfig {
  agents?: Record<string, unknown>;
  defaultAgent?: string;
}

export class Owner {
  readonly sandbox = new Sandbox();
  readonly repo: string;
  private client: ControlClient | undefined;

  private constructor(config: OwnerConfig) {
    this.sandbox.env.VIBE_SECRET_STORE = 'file';
    this.sandbox.configure({ agents: {}, ...config });
    this.repo = this.sandbox.repo('app');
  }

  /** A daemon with `config` (custom agents: see fakeAgent) and the repository registered. */
  static async start(config: OwnerConfig = {}, env: Record<string, string> = {}): Promise<Owner> {
    const owner = new Owner(config);
    const up = await owner.sandbox.vibe(['up'], { cwd: owner.repo, env });
    if (up.code !== 0) {
      await owner.dispose();
      throw new Error(`vibe up failed: ${up.stderr}`);
    }
    return owner;
  }

  /** `vibe ARGS` in the repository; throws with its stderr unless it exits 0. */
  async vibe(args: string[]): Promise<string> {
    const result = await this.sandbox.vibe(args, { cwd: this.repo });
    if (result.code !== 0) throw new Error(`vibe ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  json<T>(args: string[]): Promise<T> {
    return this.sandbox.json<T>(args, { cwd: this.repo });
  }

  /** A new link from `vibe connect` (the embedded relay unless `relay` names one). */
  async link(options: { readOnly?: boolean; label?: string; relay?: string } = {}): Promise<Link> {
    const args = ['connect', ...(options.readOnly ? ['--read-only'] : []), ...(options.label ? ['--label', options.label] : []), ...(options.relay ? ['--relay', options.relay] : [])];
    const connected = await this.json<{ url: string; relay: { daemonId: string; embedded: { pid: number | null } | null } }>(args);
    return { url: connected.url, daemonId: connected.relay.daemonId, relayPid: connected.relay.embedded?.pid ?? null };
  }

  /**
   * The daemon over its local socket, as the CLI reaches it: for the many quick questions a test polls with
   * (a CLI run costs half a second), and for what no command does (giving a session a size).
   */
  async daemon(): Promise<ControlClient> {
    this.client ??= (await connectToDaemon(resolvePaths(this.sandbox.env).socket, { client: { name: 'web-test', version: '0' } })).client;
    return this.client;
  }

  async task(number: number): Promise<TaskJson> {
    return (await (await this.daemon()).request('task.get', { project: 'app', number })).task;
  }

  async session(id: number): Promise<SessionJson> {
    const { sessions } = await (await this.daemon()).request('session.list', { allProjects: true });
    const session = sessions.find((candidate) => candidate.id === id);
    if (!session) throw new Error(`the daemon lists no session ${id}`);
    return session;
  }

  /** `vibe task add TITLE --agent AGENT --start`: the task's number and its session. */
  async startTask(title: string, agent: string): Promise<{ number: number; session: SessionJson }> {
    const started = await this.json<{ task: { number: number }; session: SessionJson }>(['task', 'add', title, '--agent', agent, '--start']);
    return { number: started.task.number, session: started.session };
  }

  async dispose(): Promise<void> {
    this.client?.close();
    await this.sandbox.dispose();
  }
}
