// The daemon process entry: starts the daemon, reports readiness to whoever spawned it, handles signals.
import { closeSync, writeSync } from 'node:fs';
import { packageVersion, resolvePaths } from '@vibe/protocol/node';
import { Daemon } from './daemon.js';
import { FileLogger } from './logger.js';

type Report = { status: 'ready'; pid: number } | { status: 'running'; pid: number | undefined } | { status: 'error'; message: string };

/**
 * `vibe up` spawns the daemon detached with a pipe on the fd named by VIBE_DAEMON_READY_FD and reads exactly
 * one JSON line from it. Run by hand (no such fd), the daemon reports on stderr and stays in the foreground.
 */
function report(message: Report): void {
  const fd = Number(process.env.VIBE_DAEMON_READY_FD);
  // Agents and other children must not inherit a variable naming an fd that is closed by now.
  delete process.env.VIBE_DAEMON_READY_FD;
  if (Number.isInteger(fd) && fd > 2) {
    try {
      writeSync(fd, `${JSON.stringify(message)}\n`);
      closeSync(fd);
    } catch {
      // The spawner gave up waiting; nothing else to tell.
    }
  } else if (message.status === 'error') {
    process.stderr.write(`vibe daemon: ${message.message}\n`);
  } else {
    process.stderr.write(`vibe daemon: ${message.status} (pid ${message.pid ?? 'unknown'})\n`);
  }
}

async function main(): Promise<void> {
  const paths = resolvePaths(process.env);
  let outcome;
  try {
    outcome = await Daemon.start({ paths, version: packageVersion(import.meta.url), validateResults: process.env.VIBE_VALIDATE_RESULTS === '1',
      preferPty: process.env.VIBE_SESSION_HOST === 'pty',
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    try {
      const logger = new FileLogger(paths.logFile);
      logger.error('daemon failed to start', { error });
      logger.close();
    } catch {
      // The log directory itself may be the problem; the spawner still gets the message.
    }
    report({ status: 'error', message });
    process.exitCode = 1;
    return;
  }
  if (outcome.status === 'running') {
    report({ status: 'running', pid: outcome.pid });
    return;
  }
  const { daemon } = outcome;
  const stop = (reason: string): void => {
    // Whatever happens while stopping, the process ends (and the kernel drops the lock with it).
    daemon.stop(reason).then(
      () => process.exit(),
      (error: unknown) => {
        daemon.logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  process.on('uncaughtException', (error) => {
    daemon.logger.error('uncaught exception', { error });
    process.exitCode = 1;
    stop('uncaught exception');
  });
  process.on('unhandledRejection', (error) => {
    daemon.logger.error('unhandled rejection', { error });
  });
  daemon.whenStopped(() => process.exit());
  report({ status: 'ready', pid: process.pid });
}

void main();
