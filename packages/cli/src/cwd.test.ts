// The current directory helper: a deleted cwd becomes one clear usage error.
import { describe, expect, it } from 'vitest';
import { currentDirectory } from './cwd.js';
import { CliError, describeError, EXIT } from './errors.js';

const failing = (code: string) => (): string => {
  throw Object.assign(new Error(`${code}: uv_cwd`), { code });
};

describe('currentDirectory', () => {
  it('returns the cwd', () => {
    expect(currentDirectory()).toBe(process.cwd());
  });

  it('turns ENOENT from a deleted directory into one line and exit 2', () => {
    let thrown: unknown;
    try {
      currentDirectory(failing('ENOENT'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CliError);
    expect(describeError(thrown, { debug: false })).toEqual({
      exitCode: EXIT.usage,
      lines: ['vibe: the current directory no longer exists; cd to an existing directory and try again'],
    });
  });

  it('lets other errors through', () => {
    expect(() => currentDirectory(failing('EACCES'))).toThrow('EACCES: uv_cwd');
  });
});
