// Shared by the relay tests: a real daemon on a temp home with one git project and a scripted fake agent,
// clients speaking the E2E channel through a relay over real WebSockets, and ways to read what a session shows.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { connectOverRelay, FrameKind, type ControlClient, type Frame, type RelayConnection, type WebSocketConstructor } from '@vibe/protocol';
import { connectToDaemon, nodeAead, resolvePaths } from '@vibe/protocol/node';
import { Daemon } from '../src/daemon.js';
import { stopDaemon, until } from './daemon-fixture.js';
import { MemoryClient } from './memory-client.js';

export const fakeAgent = fileURLToPath(new URL('./fixtures/fake-agent.mjs', import.meta.url));
const scriptsDir = fileURLToPath(new URL('../dist', import.meta.url));
/** The agent every relay test's task runs: two questions, each answer echoed back. */
const SCRIPT = 'print:ready;ask:Name? ;print:hello {answer};ask:Again? ;print:bye {answer};sleep:60000';

/** One test's world: a temp VIBE_HOME and repo, the daemon once booted, and every remote client it opened. */
export class RelayBed {
  readonly dir = mkdtempSync(join(tmpdir(), 'vibe-relay-'));
  readonly repo = join(this.dir, 'repo');
  daemon: Daemon | undefined;
  local!: ControlClient;
  private readonly remotes: RelayConnection[] = [];

  constructor() {
    mkdirSync(this.repo);
    execFileSync('git', ['init', '-q', '-b', 'main', this.repo]);
    writeFileSync(join(this.repo, 'README.md'), '# repo\n');
    execFileSync('git', ['-C', this.repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'add', '.']);
    execFileSync('git', ['-C', this.repo, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init']);
    mkdirSync(join(this.dir, 'home', 'config'), { recursive: true });
    const command = ['node', fakeAgent, '--script', SCRIPT];
    writeFileSync(join(this.dir, 'home', 'config', 'config.json'), JSON.stringify({ agents: { fake: { command, prompt: 'none', hooks: 'env' } } }));
    process.env.VIBE_SECRET_STORE = 'file';
  }

  /** Starts the daemon (again, after a stop) and connects `local`; the first boot registers the repo and adds task 1. */
  async boot(): Promise<Daemon> {
    const outcome = await Daemon.start({ paths: resolvePaths({ VIBE_HOME: join(this.dir, 'home') }), version: 't', validateResults: true, scriptsDir, relayHeartbeatMs: 500 });
    if (outcome.status !== 'ready') throw new Error('daemon did not start');
    this.daemon = outcome.daemon;
    this.local = (await connectToDaemon(this.daemon.paths.socket, { client: { name: 'test', version: '0' } })).client;
    if (this.daemon.store.listProjects().length === 0) {
      await this.local.request('project.register', { path: this.repo, baseBranch: 'main' });
      await this.local.request('task.create', { project: 'repo', title: 'Greet', agent: 'fake' });
    }
    return this.daemon;
  }

  async stop(): Promise<void> {
    this.local?.close();
    if (this.daemon) await stopDaemon(this.daemon);
    this.daemon = undefined;
  }

  /** A client through the relay with the link `url`; closed when the test ends. */
  async remote(url: string, timeoutMs = 5000): Promise<RelayConnection> {
    const connection = await connectOverRelay(url, {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      aead: nodeAead,
      binaryType: 'nodebuffer',
      client: { name: 'relay-test', version: '0' },
      timeoutMs,
    });
    this.remotes.push(connection);
    return connection;
  }

  /** What the session's screen holds now, from a fresh attach's snapshot alone (no live output counted twice). */
  async screen(session: number): Promise<string> {
    const { client } = await MemoryClient.ready(this.daemon!.control, { kind: 'local' });
    await client.request('session.attach', { session, readOnly: true });
    const snapshot = await until(() => client.frames.find((frame) => frame.kind === FrameKind.Snapshot), Boolean, 'a snapshot');
    client.gone();
    return Buffer.from(snapshot!.payload).toString('utf8');
  }

  async dispose(): Promise<void> {
    for (const remote of this.remotes.splice(0)) remote.client.close();
    await this.stop();
    delete process.env.VIBE_SECRET_STORE;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Collects a client's terminal frames for one session, decoded as text. */
export function watch(client: ControlClient, session: number): { text(): string; frames: Frame[] } {
  const frames: Frame[] = [];
  client.onFrame((frame) => {
    if (frame.session === session && (frame.kind === FrameKind.Output || frame.kind === FrameKind.Snapshot)) frames.push(frame);
  });
  return { frames, text: () => frames.map((frame) => Buffer.from(frame.payload).toString('utf8')).join('') };
}

export function count(text: string, word: string): number {
  return text.split(word).length - 1;
}

/** Resolves with the error a relay connection ends with. */
export function ended(connection: RelayConnection): Promise<Error> {
  return new Promise((resolve) => connection.client.onClose(resolve));
}

export function input(session: number, text: string): Frame {
  return { kind: FrameKind.Input, session, seq: 0, payload: Buffer.from(text) };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
