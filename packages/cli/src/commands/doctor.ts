// `vibe doctor`: checks what vibe needs on this machine and says how to fix what is missing.
import { readFile } from 'node:fs/promises';
import { DaemonUnavailableError } from '@vibe/protocol/node';
import { connect } from '../daemon-connection.js';
import { runChecks, type DaemonProbe, type DoctorEnvironment } from '../doctor/checks.js';
import { findExecutable } from '../doctor/find-executable.js';
import { formatChecks, summarise } from '../doctor/report.js';
import { execProbe } from '../doctor/run-probe.js';
import { CliError, daemonNotAnswering } from '../errors.js';
import { printJson, printLines, say } from '../output.js';
import { vibePaths } from '../paths.js';
import { stdoutPalette } from '../terminal.js';

export interface DoctorOptions {
  json?: boolean;
}

const PROBE_TIMEOUT_MS = 5_000;

export async function doctor(options: DoctorOptions): Promise<void> {
  const results = await runChecks(machineEnvironment());
  const failures = results.filter((result) => result.status === 'fail').length;
  if (options.json) printJson({ ok: failures === 0, checks: results });
  else {
    printLines(formatChecks(results, stdoutPalette()));
    say(summarise(results));
  }
  if (failures > 0) throw new CliError(`${failures} check${failures === 1 ? '' : 's'} failed`);
}

function machineEnvironment(): DoctorEnvironment {
  const paths = vibePaths();
  return {
    nodeVersion: process.versions.node,
    findExecutable: (name) => findExecutable(name, process.env.PATH),
    run: execProbe(PROBE_TIMEOUT_MS),
    probeKeychain,
    configFile: paths.configFile,
    readConfig: async () => {
      try {
        return await readFile(paths.configFile, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    probeDaemon,
  };
}

/**
 * Reads a probe entry: "no such entry" resolves null, an unreachable store rejects. On Linux the probe is
 * pinned to the Secret Service: the library would otherwise fall back to the kernel keyring, which forgets
 * everything at logout or reboot and so is no place for a long-lived identity. (The synchronous
 * Entry.getPassword is no use here: it reports an unreachable store as "no password".)
 */
async function probeKeychain(): Promise<void> {
  const { AsyncEntry } = await import('@napi-rs/keyring');
  const entry = new AsyncEntry('vibe', 'doctor-probe', { linux: { store: 'secret-service' } });
  await entry.getPassword(AbortSignal.timeout(PROBE_TIMEOUT_MS));
}

async function probeDaemon(): Promise<DaemonProbe> {
  try {
    const { client, welcome } = await connect({ timeoutMs: 2_000 });
    try {
      // A daemon older than the relay has no relay.status: no relay line then.
      const relay = await client.request('relay.status', {}).then((result) => result.relay, () => undefined);
      return { running: true, pid: welcome.daemon.pid, version: welcome.daemon.version, ...(relay && { relay }) };
    } finally {
      client.close();
    }
  } catch (error) {
    if (error instanceof DaemonUnavailableError) {
      return error.reason === 'unresponsive' ? { running: false, error: daemonNotAnswering(error.socketPath) } : { running: false };
    }
    return { running: false, error: error instanceof Error ? error.message : String(error) };
  }
}
