// describeError: which exit code and which stderr lines each kind of thrown error becomes.
import { CommanderError } from 'commander';
import { ProtocolError } from '@vibe/protocol';
import { DaemonUnavailableError } from '@vibe/protocol/node';
import { describe, expect, it } from 'vitest';
import { CliError, describeError, EXIT, UsageError } from './errors.js';

const describeIt = (error: unknown, debug = false) => describeError(error, { debug });

describe('describeError', () => {
  it('maps a usage error to exit 2 and one line', () => {
    expect(describeIt(new UsageError('bad id'))).toEqual({ exitCode: 2, lines: ['vibe: bad id'] });
  });

  it('maps a known failure to its exit code and one line, without a stack', () => {
    expect(describeIt(new CliError('it broke'))).toEqual({ exitCode: 1, lines: ['vibe: it broke'] });
  });

  it('maps an unreachable daemon to exit 69 with the exact hint', () => {
    expect(describeIt(new DaemonUnavailableError('cannot reach the daemon at /x (ENOENT)'))).toEqual({
      exitCode: 69,
      lines: ['vibe: daemon not running — run `vibe up`'],
    });
    expect(describeIt(new DaemonUnavailableError('ECONNREFUSED', { reason: 'absent', socketPath: '/run/vibe/daemon.sock' })).lines).toEqual([
      'vibe: daemon not running — run `vibe up`',
    ]);
  });

  it('maps a daemon that does not answer to exit 69 with a different hint, naming the socket', () => {
    const error = new DaemonUnavailableError('daemon at /run/vibe/daemon.sock did not answer within 5000 ms', {
      reason: 'unresponsive',
      socketPath: '/run/vibe/daemon.sock',
    });
    expect(describeIt(error)).toEqual({
      exitCode: 69,
      lines: ['vibe: the daemon is not answering on /run/vibe/daemon.sock — run `vibe down`, then `vibe up`'],
    });
  });

  it('maps invalid_params and project_required from the daemon to usage errors', () => {
    expect(describeIt(new ProtocolError('project_required', 'no project here')).exitCode).toBe(EXIT.usage);
    expect(describeIt(new ProtocolError('invalid_params', 'invalid params: title: too long')).exitCode).toBe(EXIT.usage);
  });

  it('maps other daemon errors to exit 1 with the daemon message', () => {
    expect(describeIt(new ProtocolError('not_found', 'task myapp#9 not found'))).toEqual({ exitCode: 1, lines: ['vibe: task myapp#9 not found'] });
    expect(describeIt(new ProtocolError('illegal_transition', 'cannot move done to todo')).exitCode).toBe(1);
  });

  it('lists every issue path of invalid_params when there are several', () => {
    const error = new ProtocolError('invalid_params', 'invalid params: title: too long', {
      issues: [
        { path: 'title', message: 'too long' },
        { path: 'agent', message: 'bad agent name' },
      ],
    });
    expect(describeIt(error).lines).toEqual(['vibe: invalid params: title: too long', '  title: too long', '  agent: bad agent name']);
  });

  it('turns commander usage errors into one line and exit 2', () => {
    const error = new CommanderError(1, 'commander.unknownOption', "error: unknown option '--jsn'\n(Did you mean --json?)");
    expect(describeIt(error)).toEqual({ exitCode: 2, lines: ["vibe: unknown option '--jsn' (Did you mean --json?)"] });
  });

  it('exits 0 silently after help or --version', () => {
    expect(describeIt(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ exitCode: 0, lines: [] });
    expect(describeIt(new CommanderError(0, 'commander.version', '0.1.0'))).toEqual({ exitCode: 0, lines: [] });
  });

  it('treats help shown for a missing subcommand as a usage error', () => {
    expect(describeIt(new CommanderError(1, 'commander.help', '(outputHelp)'))).toEqual({ exitCode: 2, lines: [] });
  });

  it('prints the stack of an unknown error', () => {
    const report = describeIt(new TypeError('x is not a function'));
    expect(report.exitCode).toBe(1);
    expect(report.lines[0]).toBe('vibe: x is not a function');
    expect(report.lines.slice(1).join('\n')).toMatch(/at /);
  });

  it('adds the stack and cause to known errors only with --debug', () => {
    const error = new CliError('it broke', 1, { cause: new Error('root cause') });
    expect(describeIt(error).lines).toHaveLength(1);
    const debug = describeIt(error, true).lines.join('\n');
    expect(debug).toMatch(/at /);
    expect(debug).toContain('caused by: Error: root cause');
  });

  it('escapes terminal controls in messages from the daemon', () => {
    const report = describeIt(new ProtocolError('not_found', 'no project named "x\x1b]52;c;aGk=\x07\u202e"'));
    expect(report.lines).toEqual(['vibe: no project named "x\\x1b]52;c;aGk=\\x07\\u202e"']);
  });

  it('keeps the line breaks of a message that lists things, escaping each line', () => {
    const report = describeIt(new ProtocolError('conflict', 'task #3 holds work that would be lost:\n  vibe/3-x\x1b[2J: 2 commits\n'));
    expect(report).toEqual({ exitCode: 1, lines: ['vibe: task #3 holds work that would be lost:', '  vibe/3-x\\x1b[2J: 2 commits'] });
  });

  it('describes thrown non-errors', () => {
    expect(describeIt('plain string')).toEqual({ exitCode: 1, lines: ['vibe: plain string'] });
  });
});
