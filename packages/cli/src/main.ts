// Entry point: parse the command line, run the command, and turn whatever it throws into one line and an exit code.
import { describeError } from './errors.js';
import { installInterruptHandler } from './interrupt.js';
import { buildProgram } from './program.js';

async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug') || Boolean(process.env.VIBE_DEBUG);
  // Stack traces that point into src/ rather than the bundle; only when asked, as it costs start-up time.
  if (debug) process.setSourceMapsEnabled(true);
  // `vibe relay …` hands every argument to the relay server, which handles its own signals.
  const first = argv.slice(2).findIndex((arg) => arg !== '--debug');
  if (argv[2 + first] === 'relay') {
    const { relay } = await import('./commands/relay.js');
    try {
      await relay(argv.slice(3 + first));
    } catch (error) {
      const { exitCode, lines } = describeError(error, { debug });
      process.stderr.write(`${lines.join('\n')}\n`);
      process.exit(exitCode);
    }
  }
  const rest = argv.slice(2).filter((arg) => arg !== '--debug');
  // `vibe daemon run`: the daemon in the foreground, in this process — what `vibe service install` runs.
  if (rest.length === 2 && rest[0] === 'daemon' && rest[1] === 'run') {
    try {
      const { pathToFileURL } = await import('node:url');
      const { daemonMainPath, relayMainPath } = await import('./parts.js');
      process.env.VIBE_RELAY_ENTRY = relayMainPath();
      await import(pathToFileURL(daemonMainPath()).href);
    } catch (error) {
      const { exitCode, lines } = describeError(error, { debug });
      process.stderr.write(`${lines.join('\n')}\n`);
      process.exit(exitCode);
    }
    return;
  }
  // `vibe --version` names the running daemon's version too, which commander's own flag cannot.
  if (rest.length === 1 && (rest[0] === '--version' || rest[0] === '-V')) {
    const { version } = await import('./commands/version.js');
    try {
      await version();
    } catch (error) {
      const { exitCode, lines } = describeError(error, { debug });
      process.stderr.write(`${lines.join('\n')}\n`);
      process.exit(exitCode);
    }
    return;
  }
  installInterruptHandler();
  // `vibe task ls | head`: a closed pipe is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = buildProgram();
  try {
    if (argv.length <= 2) {
      // Bare `vibe` opens the board on a terminal; anywhere else (a script, a pipe) it prints help.
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        program.outputHelp();
        return;
      }
      argv = [...argv, 'board'];
    }
    await program.parseAsync(argv);
  } catch (error) {
    const { exitCode, lines } = describeError(error, { debug });
    if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
    // Exit now rather than wait for whatever the failed command left open (a socket, a child's pipe).
    process.exit(exitCode);
  }
}

await main(process.argv);
