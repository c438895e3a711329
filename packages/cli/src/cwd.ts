// The current directory, for commands that send it to the daemon or run git in it.
import { CliError, EXIT } from './errors.js';

/**
 * process.cwd(), or a one-line error when the directory was deleted under the shell (Node throws ENOENT
 * from uv_cwd). Every command reads the cwd through here, so none of them prints a stack for it.
 */
export function currentDirectory(cwd: () => string = () => process.cwd()): string {
  try {
    return cwd();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError('the current directory no longer exists; cd to an existing directory and try again', EXIT.usage, { cause: error });
    }
    throw error;
  }
}
