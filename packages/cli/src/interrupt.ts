// Ctrl-C. A command that can stop cleanly (like `logs -f`) asks for a signal and ends on its own; any other
// command is ended at once with exit 130, as a shell would report for SIGINT.
import { EXIT } from './errors.js';

let controller: AbortController | undefined;

/** Claims Ctrl-C for the running command: the first SIGINT aborts this signal instead of exiting. */
export function interruptSignal(): AbortSignal {
  controller ??= new AbortController();
  return controller.signal;
}

export function installInterruptHandler(): void {
  process.on('SIGINT', () => {
    if (controller && !controller.signal.aborted) {
      controller.abort();
      return;
    }
    // A second Ctrl-C, or a command that did not claim it: stop now.
    process.stderr.write('\n');
    process.exit(EXIT.interrupted);
  });
}
