// `vibe-relay` / `vibe relay`: parses flags (no dependency), starts the relay with JSON logs on stdout and stops
// it gracefully on SIGTERM or SIGINT. Resolves once the relay has stopped.
import { readFileSync } from 'node:fs';
import { isLogLevel, jsonLogger, type LogLevel } from './logger.js';
import { DEFAULT_LIMITS, type RelayLimits, type RelayOptions } from './options.js';
import { startRelay } from './server.js';

/** A bad command line: the caller prints the message (and the usage hint) and exits 2. */
export class RelayUsageError extends Error {
  override readonly name = 'RelayUsageError';
  readonly code = 'RELAY_USAGE';
}

const LIMIT_FLAGS: Record<string, keyof RelayLimits> = {
  '--max-message-bytes': 'maxMessageBytes',
  '--client-window-bytes': 'clientWindowBytes',
  '--daemon-window-bytes': 'daemonWindowBytes',
  '--max-clients-per-daemon': 'maxClientsPerDaemon',
  '--handshake-rate': 'handshakeRate',
  '--handshake-burst': 'handshakeBurst',
  '--heartbeat-ms': 'heartbeatMs',
  '--register-timeout-ms': 'registerTimeoutMs',
  '--idle-timeout-ms': 'idleTimeoutMs',
};

export const RELAY_USAGE = `Usage: vibe-relay [options]   (also: vibe relay [options], npx @vibe/relay-server)

The vibe relay: forwards end-to-end encrypted traffic between vibe daemons and their clients.
Logs JSON lines to stdout. SIGTERM or SIGINT closes every connection with 1012 and exits 0.

Options:
  --host H                     bind address (default 127.0.0.1; 0.0.0.0 for every interface)
  --port P                     port (default 0: a free one, printed in the first log line)
  --redis URL                  share routing with other relays through Redis (redis://[:password@]host:port)
  --tls-cert FILE              PEM certificate chain: serve https/wss (with --tls-key)
  --tls-key FILE               PEM private key
  --trust-proxy                take client addresses from X-Forwarded-For (only behind your own proxy)
  --log-level L                debug | info | warn | error (default info)
${Object.entries(LIMIT_FLAGS)
  .map(([flag, key]) => `  ${`${flag} N`.padEnd(29)}default ${DEFAULT_LIMITS[key]}`)
  .join('\n')}
  -h, --help                   show this help
`;

export interface ParsedRelayArgs {
  help: boolean;
  options: RelayOptions;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  logLevel: LogLevel;
}

/** Parses `--flag value` and `--flag=value`; throws RelayUsageError for anything it does not know. */
export function parseRelayArgs(argv: string[]): ParsedRelayArgs {
  const out: ParsedRelayArgs = { help: false, options: {}, logLevel: 'info' };
  const limits: Partial<RelayLimits> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new RelayUsageError(`${flag} needs a value`);
      return next;
    };
    const number = (min: number, max: number): number => {
      const text = value();
      const n = Number(text);
      if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new RelayUsageError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
      return n;
    };
    if (flag === '-h' || flag === '--help') out.help = true;
    else if (flag === '--host') out.options.host = value();
    else if (flag === '--port') out.options.port = number(0, 65535);
    else if (flag === '--redis') out.options.redisUrl = redisUrl(value());
    else if (flag === '--tls-cert') out.tlsCertFile = value();
    else if (flag === '--tls-key') out.tlsKeyFile = value();
    else if (flag === '--trust-proxy') out.options.trustProxy = true;
    else if (flag === '--log-level') {
      const level = value();
      if (!isLogLevel(level)) throw new RelayUsageError(`--log-level must be debug, info, warn or error, not "${level}"`);
      out.logLevel = level;
    } else if (flag in LIMIT_FLAGS) limits[LIMIT_FLAGS[flag]!] = number(1, Number.MAX_SAFE_INTEGER);
    else throw new RelayUsageError(`unknown option ${arg}`);
  }
  if ((out.tlsCertFile === undefined) !== (out.tlsKeyFile === undefined)) throw new RelayUsageError('--tls-cert and --tls-key go together');
  if (Object.keys(limits).length > 0) out.options.limits = limits;
  return out;
}

function redisUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RelayUsageError(`--redis needs a URL such as redis://127.0.0.1:6379, not "${text}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new RelayUsageError(`--redis needs a redis:// or rediss:// URL, not ${url.protocol}`);
  return text;
}

export interface RelayCliOptions {
  /**
   * Stop as on SIGTERM when the parent process goes away. Under npm (`npx @vibe/relay-server`) a shell sits
   * between npm and the relay, and npm passes a SIGTERM only to that shell, which dies of it without passing
   * it on: without this the relay would outlive the npx its supervisor stopped.
   */
  stopWithParent?: boolean;
}

/** How often a relay told to stop with its parent checks that the parent is still there. */
const PARENT_CHECK_MS = 500;

/** Runs a relay until SIGTERM or SIGINT. With --help, prints the usage to stdout and returns. */
export async function runRelayCli(argv: string[], cliOptions: RelayCliOptions = {}): Promise<void> {
  const args = parseRelayArgs(argv);
  if (args.help) {
    process.stdout.write(RELAY_USAGE);
    return;
  }
  const options: RelayOptions = { ...args.options, logger: jsonLogger(process.stdout, args.logLevel) };
  if (args.tlsCertFile !== undefined && args.tlsKeyFile !== undefined) {
    options.tlsCert = readFileSync(args.tlsCertFile);
    options.tlsKey = readFileSync(args.tlsKeyFile);
  }
  const relay = await startRelay(options);
  await new Promise<void>((resolve) => {
    let parentCheck: ReturnType<typeof setInterval> | undefined;
    const stop = (signal: NodeJS.Signals): void => {
      options.logger!.log('info', 'signal', { signal });
      clearInterval(parentCheck);
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      // A second signal during the graceful stop ends the process at once.
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(1));
      relay.close().then(resolve, resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    if (cliOptions.stopWithParent) {
      const parent = process.ppid;
      parentCheck = setInterval(() => {
        if (process.ppid === parent) return;
        options.logger!.log('info', 'parent process exited', { parent });
        stop('SIGTERM');
      }, PARENT_CHECK_MS);
      parentCheck.unref();
    }
  });
}

/**
 * The vibe-relay executable: runs the CLI and turns its end into an exit code — 0 after a graceful stop, 2
 * and a line on stderr for a bad command line, 1 for anything else (a stack only for the unexpected).
 */
export async function relayMain(argv: string[], cliOptions: RelayCliOptions = {}): Promise<never> {
  try {
    await runRelayCli(argv, cliOptions);
    process.exit(0);
  } catch (error) {
    if (error instanceof RelayUsageError) {
      process.stderr.write(`vibe-relay: ${error.message}\nRun vibe-relay --help for the options.\n`);
      process.exit(2);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOENT') {
      process.stderr.write(`vibe-relay: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(`vibe-relay: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exit(1);
  }
}
