// A real daemon for in-process tests: a temp home, a git repository registered as project "repo", task 1 for
// the scripted fake agent, and a local socket client. Stopped and removed by `dispose`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ControlClient } from '@vibe/protocol';
import { connectToDaemon, resolvePaths } from '@vibe/protocol/node';
import { Daemon } from '../src/daemon.js';
import { stopDaemon } from './daemon-fixture.js';

const fakeAgent = fileURLToPath(new URL('./fixtures/fake-agent.mjs', import.meta.url));
const scriptsDir = fileURLToPath(new URL('../dist', import.meta.url));

export class ProjectDaemon {
  daemon!: Daemon;
  local!: ControlClient;
  readonly dir = mkdtempSync(join(tmpdir(), 'vibe-daemon-'));
  readonly repo = join(this.dir, 'repo');

  /**
   * The fake agent runs `script` (see fixtures/fake-agent.mjs). Sessions are hosted by tmux, which the daemon
   * lets go of when it stops: a node-pty agent would outlive the stop in this process and report its exit to a
   * daemon already gone.
   */
  constructor(private readonly script = 'print:ready;sleep:60000') {
    mkdirSync(this.repo);
    execFileSync('git', ['init', '-q', '-b', 'main', this.repo]);
    writeFileSync(join(this.repo, 'README.md'), '# repo\n');
    execFileSync('git', ['-C', this.repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'add', '.']);
    execFileSync('git', ['-C', this.repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init']);
    mkdirSync(join(this.dir, 'home', 'config'), { recursive: true });
    const command = ['node', fakeAgent, '--script', this.script];
    writeFileSync(join(this.dir, 'home', 'config', 'config.json'), JSON.stringify({ agents: { fake: { command, prompt: 'none', hooks: 'env' } } }));
  }

  /** Starts the daemon (again, after `restart`'s stop) and connects the local client; the first start registers the project. */
  async start(): Promise<void> {
    const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: join(this.dir, 'home') }), version: 't', validateResults: true, scriptsDir });
    if (outcome.status !== 'ready') throw new Error('daemon did not start');
    this.daemon = outcome.daemon;
    this.local = (await connectToDaemon(this.daemon.paths.socket, { client: { name: 'test', version: '0' } })).client;
    if ((await this.local.request('project.list', {})).projects.length > 0) return;
    await this.local.request('project.register', { path: this.repo, baseBranch: 'main' });
    await this.local.request('task.create', { project: 'repo', title: 'Greet', agent: 'fake' });
  }

  async restart(): Promise<void> {
    this.local.close();
    await stopDaemon(this.daemon);
    await this.start();
  }

  async dispose(): Promise<void> {
    this.local?.close();
    if (this.daemon) await stopDaemon(this.daemon);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
