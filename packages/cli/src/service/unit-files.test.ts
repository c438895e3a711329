// The service files vibe writes: every line of the systemd unit and launchd plist, and quoting of odd paths.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchdPlist, systemdUnit, systemdWord, type DaemonCommand } from './unit-files.js';

const command: DaemonCommand = {
  node: '/usr/bin/node',
  vibe: '/usr/local/bin/vibe',
  script: true,
  vibeHome: null,
  path: '/home/u/.nvm/versions/node/v20/bin:/usr/bin:/bin',
};

describe('systemdUnit', () => {
  it('runs the daemon in the foreground, restarting on failure, killing only the daemon process on stop', () => {
    expect(systemdUnit(command)).toBe(
      [
        '# The vibe daemon as a systemd user service. Written by `vibe service install`; `vibe service uninstall` removes it.',
        '[Unit]',
        'Description=vibe daemon: AI coding agents in parallel, each in its own git worktree',
        '',
        '[Service]',
        'Type=simple',
        'ExecStart=/usr/bin/node --max-semi-space-size=1 /usr/local/bin/vibe daemon run',
        'WorkingDirectory=/',
        'Environment=PATH=/home/u/.nvm/versions/node/v20/bin:/usr/bin:/bin',
        "# The agents run in vibe's own tmux server, which the daemon starts, so it lives in this service's",
        '# control group. KillMode=process makes `systemctl --user stop|restart vibe` end the daemon process only:',
        '# the tmux server and every agent in it keep running, and the next daemon re-adopts them.',
        'KillMode=process',
        'Restart=on-failure',
        'RestartSec=2',
        '',
        '[Install]',
        'WantedBy=default.target',
        '',
      ].join('\n'),
    );
  });

  it('passes VIBE_HOME on when it is set', () => {
    expect(systemdUnit({ ...command, vibeHome: '/srv/vibe home' })).toContain('\nEnvironment="VIBE_HOME=/srv/vibe home"\n');
  });

  it('quotes paths with spaces and escapes what systemd would expand', () => {
    const unit = systemdUnit({ ...command, node: '/Apps/Node JS/bin/node', vibe: '/x/100%/$HOME/"q"/vibe' });
    expect(unit).toContain('ExecStart="/Apps/Node JS/bin/node" --max-semi-space-size=1 "/x/100%%/$$HOME/\\"q\\"/vibe" daemon run\n');
  });

  it('runs a vibe that is not a node script (a package manager\'s shell shim) as it is', () => {
    expect(systemdUnit({ ...command, vibe: '/home/u/.local/share/pnpm/vibe', script: false })).toContain('\nExecStart=/home/u/.local/share/pnpm/vibe daemon run\n');
  });

  it('refuses paths with line breaks, which would inject unit lines', () => {
    expect(() => systemdUnit({ ...command, vibeHome: '/tmp/x\nExecStartPre=/bin/evil' })).toThrow(/line break/);
  });

  it.skipIf(!has('systemd-analyze'))('is a unit systemd-analyze verifies without a word, odd paths included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibe-unit-'));
    try {
      const vibe = join(dir, 'a b', '100% $x', 'vibe');
      mkdirSync(join(dir, 'a b', '100% $x'), { recursive: true });
      writeFileSync(vibe, '');
      writeFileSync(join(dir, 'vibe.service'), systemdUnit({ ...command, node: process.execPath, vibe, vibeHome: join(dir, 'home %h') }));
      const verify = spawnSync('systemd-analyze', ['verify', join(dir, 'vibe.service')], { encoding: 'utf8' });
      expect(verify.stderr).toBe('');
      expect(verify.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('systemdWord', () => {
  it.each([
    ['/usr/bin/node', '/usr/bin/node'],
    ['--max-semi-space-size=1', '--max-semi-space-size=1'],
    ['/a b', '"/a b"'],
    ['50%', '50%%'],
    ['a\\b', '"a\\\\b"'],
  ])('writes %j as %j', (word, written) => {
    expect(systemdWord(word)).toBe(written);
  });
});

describe('launchdPlist', () => {
  it('runs the daemon at load, restarts it after a failure and abandons its process group', () => {
    const plist = launchdPlist({ ...command, vibeHome: '/Users/u/vibe & co' });
    expect(plist).toContain('<key>Label</key>\n  <string>dev.vibe.daemon</string>');
    expect(plist).toContain(
      '<key>ProgramArguments</key>\n  <array>\n    <string>/usr/bin/node</string>\n    <string>--max-semi-space-size=1</string>\n    <string>/usr/local/bin/vibe</string>\n    <string>daemon</string>\n    <string>run</string>\n  </array>',
    );
    expect(plist).toContain('<key>AbandonProcessGroup</key>\n  <true/>');
    expect(plist).toContain('<key>RunAtLoad</key>\n  <true/>');
    expect(plist).toContain('<key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>');
    expect(plist).toContain('<key>VIBE_HOME</key>\n    <string>/Users/u/vibe &amp; co</string>');
    expect(plist).toContain('<key>PATH</key>\n    <string>/home/u/.nvm/versions/node/v20/bin:/usr/bin:/bin</string>');
  });

  it('has no environment block when there is nothing to pass', () => {
    expect(launchdPlist({ ...command, path: undefined })).not.toContain('EnvironmentVariables');
  });

  it.skipIf(!has('xmllint'))('is well-formed XML', () => {
    expect(() => execFileSync('xmllint', ['--noout', '-'], { input: launchdPlist({ ...command, vibeHome: '/a<b>&"c"' }) })).not.toThrow();
  });
});

function has(program: string): boolean {
  return spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0;
}
