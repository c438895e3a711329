// Tests for the vibe-relay argument parser: every flag, both spellings, and the errors a user sees.
import { describe, expect, it } from 'vitest';
import { parseRelayArgs, RELAY_USAGE, RelayUsageError } from './cli.js';

describe('parseRelayArgs', () => {
  it('reads every option, as "--flag value" or "--flag=value"', () => {
    const args = parseRelayArgs(['--host', '0.0.0.0', '--port=8443', '--redis', 'redis://127.0.0.1:6379', '--tls-cert', 'c.pem', '--tls-key=k.pem', '--trust-proxy', '--log-level', 'debug', '--max-clients-per-daemon', '10', '--heartbeat-ms=500']);
    expect(args).toEqual({
      help: false,
      logLevel: 'debug',
      tlsCertFile: 'c.pem',
      tlsKeyFile: 'k.pem',
      options: { host: '0.0.0.0', port: 8443, redisUrl: 'redis://127.0.0.1:6379', trustProxy: true, limits: { maxClientsPerDaemon: 10, heartbeatMs: 500 } },
    });
  });

  it('defaults to nothing set', () => {
    expect(parseRelayArgs([])).toEqual({ help: false, logLevel: 'info', options: {} });
    expect(parseRelayArgs(['-h']).help).toBe(true);
  });

  it.each([
    [['--bogus'], /unknown option --bogus/],
    [['--port'], /--port needs a value/],
    [['--port', '--host', 'x'], /--port needs a value/],
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--port', 'abc'], /not "abc"/],
    [['--idle-timeout-ms', '0'], /from 1/],
    [['--redis', 'http://x'], /redis:\/\//],
    [['--redis', 'nope'], /needs a URL/],
    [['--tls-cert', 'c.pem'], /go together/],
    [['--log-level', 'loud'], /--log-level/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseRelayArgs(argv)).toThrow(RelayUsageError);
    expect(() => parseRelayArgs(argv)).toThrow(message);
  });

  it('documents every limit flag in the help', () => {
    for (const flag of ['--max-message-bytes', '--client-window-bytes', '--max-clients-per-daemon', '--handshake-rate', '--handshake-burst', '--heartbeat-ms', '--register-timeout-ms', '--idle-timeout-ms', '--redis', '--tls-cert']) {
      expect(RELAY_USAGE).toContain(flag);
    }
  });
});
