// Runs the embedded relay as its own process (no relay code lives in the daemon): starts it, learns its port
// from its first log line, restarts it if it dies, and stops it with the daemon.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Logger } from '../logger.js';

export interface EmbeddedRelayOptions {
  /** The relay's entry script (`@vibe/relay-server`'s dist/main.js). */
  entry: string;
  host: string;
  /** 0 for a free port the first time; after that the same port, so links stay valid. */
  port: number;
  logFile: string;
  pidFile: string;
  logger: Logger;
  node?: string;
  onListening(port: number): void;
}

const START_TIMEOUT_MS = 10_000;
/** A relay that served this long before it died is restarted at once again, not after the last delay doubled. */
const HEALTHY_RUN_MS = 30_000;

export class EmbeddedRelay {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restarts = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  port: number;
  lastError: string | null = null;

  constructor(private readonly options: EmbeddedRelayOptions) {
    this.port = options.port;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Starts the relay and resolves with its port; rejects with the reason it would not start. */
  start(): Promise<number> {
    stopLeftover(this.options.pidFile, this.options.entry);
    return new Promise((resolve, reject) => {
      const { entry, host, logger } = this.options;
      const child = spawn(this.options.node ?? process.execPath, [entry, '--host', host, '--port', String(this.port)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      this.child = child;
      let settled = false;
      let listeningAt: number | undefined;
      const settle = (error?: Error, port?: number): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(port!);
      };
      const timer = setTimeout(() => {
        settle(new Error(`the embedded relay did not start listening within ${START_TIMEOUT_MS / 1000} s`));
        child.kill('SIGKILL');
      }, START_TIMEOUT_MS);
      const errors: string[] = [];
      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.append(line);
        const port = listeningPort(line);
        if (port !== undefined) {
          this.port = port;
          this.lastError = null;
          listeningAt = Date.now();
          writeFileSync(this.options.pidFile, `${child.pid}\n`, { mode: 0o600 });
          this.options.onListening(port);
          settle(undefined, port);
        }
      });
      createInterface({ input: child.stderr! }).on('line', (line) => {
        this.append(line);
        if (errors.length < 5) errors.push(line);
      });
      child.on('error', (error) => settle(error));
      child.on('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        rmSync(this.options.pidFile, { force: true });
        const why = errors.find((line) => /EADDRINUSE|EACCES|Error/.test(line)) ?? `exit ${code ?? signal}`;
        this.lastError = /EADDRINUSE/.test(why) ? `port ${this.port} on ${host} is in use` : `the embedded relay exited: ${why}`;
        settle(new Error(this.lastError));
        if (this.stopping) return;
        logger.warn('embedded relay exited; restarting', { code, signal, reason: this.lastError });
        if (listeningAt !== undefined && Date.now() - listeningAt >= HEALTHY_RUN_MS) this.restarts = 0;
        this.restartTimer = setTimeout(() => void this.start().catch(() => {}), Math.min(10_000, 500 * 2 ** this.restarts++));
      });
    });
  }

  /** SIGTERM (the relay closes its sockets with 1012), SIGKILL if it lingers. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const forced = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(forced);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private append(line: string): void {
    try {
      appendFileSync(this.options.logFile, `${line}\n`, { mode: 0o600 });
    } catch {
      // The relay's log is a convenience; the daemon's own log says what matters.
    }
  }
}

function listeningPort(line: string): number | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const record = JSON.parse(line) as { msg?: unknown; port?: unknown };
    return record.msg === 'listening' && typeof record.port === 'number' ? record.port : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A relay left by a daemon that was killed (it holds the port the links name). Only the pid this daemon
 * recorded is touched, and only if that process still runs the relay entry.
 */
function stopLeftover(pidFile: string, entry: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  try {
    if (Number.isInteger(pid) && pid > 1 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(entry)) process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already, or no /proc (macOS): the port check at start reports a clash.
  }
  rmSync(pidFile, { force: true });
}
