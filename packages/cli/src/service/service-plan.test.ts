// Where each OS keeps the service file and which commands install and remove it.
import { describe, expect, it } from 'vitest';
import { commandLine, enableOnly, servicePlan, serviceRestartCommand, type PlanContext } from './service-plan.js';

const context = (overrides: Partial<PlanContext> = {}): PlanContext => ({
  platform: 'linux',
  env: {},
  homedir: '/home/u',
  uid: 1000,
  command: { node: '/usr/bin/node', vibe: '/usr/local/bin/vibe', script: true, vibeHome: null, path: '/usr/bin' },
  ...overrides,
});

describe('servicePlan on Linux', () => {
  it('writes ~/.config/systemd/user/vibe.service, then reloads systemd and enables the unit now', () => {
    const plan = servicePlan(context());
    expect(plan.manager).toBe('systemd');
    expect(plan.file).toBe('/home/u/.config/systemd/user/vibe.service');
    expect(plan.install).toEqual([
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', 'vibe.service'],
    ]);
    expect(plan.stop).toEqual([['systemctl', '--user', 'disable', '--now', 'vibe.service']]);
    expect(plan.afterRemove).toEqual([['systemctl', '--user', 'daemon-reload']]);
    expect(plan.content).toContain('KillMode=process');
  });

  it('respects an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    expect(servicePlan(context({ env: { XDG_CONFIG_HOME: '/cfg' } })).file).toBe('/cfg/systemd/user/vibe.service');
    expect(servicePlan(context({ env: { XDG_CONFIG_HOME: 'cfg' } })).file).toBe('/home/u/.config/systemd/user/vibe.service');
  });

  it('enables without starting when a daemon already runs', () => {
    expect(enableOnly(servicePlan(context()))).toEqual([
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', 'vibe.service'],
    ]);
  });
});

describe('servicePlan on macOS', () => {
  it('writes ~/Library/LaunchAgents/dev.vibe.daemon.plist and bootstraps it into the GUI domain', () => {
    const plan = servicePlan(context({ platform: 'darwin', homedir: '/Users/u', uid: 501 }));
    expect(plan.manager).toBe('launchd');
    expect(plan.file).toBe('/Users/u/Library/LaunchAgents/dev.vibe.daemon.plist');
    expect(plan.install).toEqual([['launchctl', 'bootstrap', 'gui/501', '/Users/u/Library/LaunchAgents/dev.vibe.daemon.plist']]);
    expect(plan.stop).toEqual([['launchctl', 'bootout', 'gui/501/dev.vibe.daemon']]);
    expect(plan.content).toContain('<key>AbandonProcessGroup</key>');
    expect(enableOnly(plan)).toEqual([]);
  });
});

describe('servicePlan elsewhere', () => {
  it('says which systems it supports', () => {
    expect(() => servicePlan(context({ platform: 'win32' }))).toThrow('vibe service supports Linux (systemd) and macOS (launchd), not win32');
  });
});

describe('commandLine', () => {
  it('quotes only the words that need it', () => {
    expect(commandLine(['launchctl', 'bootstrap', 'gui/501', "/Users/o'neil/My Agents/x.plist"])).toBe("launchctl bootstrap gui/501 '/Users/o'\\''neil/My Agents/x.plist'");
  });
});

describe('serviceRestartCommand', () => {
  it('restarts the systemd unit or kickstarts the launchd agent, by the names install uses', () => {
    expect(serviceRestartCommand('linux', 1000)).toEqual(['systemctl', '--user', 'restart', 'vibe.service']);
    expect(serviceRestartCommand('darwin', 501)).toEqual(['launchctl', 'kickstart', '-k', 'gui/501/dev.vibe.daemon']);
    expect(serviceRestartCommand('win32', 0)).toBeUndefined();
  });
});
