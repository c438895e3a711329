// Where the service file goes on this OS and which commands load and unload it.
import { isAbsolute, join } from 'node:path';
import { UsageError } from '../errors.js';
import { LAUNCHD_LABEL, launchdPlist, SYSTEMD_UNIT_NAME, systemdUnit, type DaemonCommand } from './unit-files.js';

export type ServiceManager = 'systemd' | 'launchd';

export interface ServicePlan {
  manager: ServiceManager;
  file: string;
  content: string;
  /** Run after writing the file; the last one also starts the daemon. */
  install: string[][];
  /** Run before removing the file. */
  stop: string[][];
  /** Run after removing the file. */
  afterRemove: string[][];
  /** The program the commands need, looked up on PATH. */
  tool: string;
}

export interface PlanContext {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
  uid: number;
  command: DaemonCommand;
}

export function servicePlan(context: PlanContext): ServicePlan {
  const { platform, env, homedir } = context;
  if (platform === 'linux') {
    const configHome = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homedir, '.config');
    return {
      manager: 'systemd',
      file: join(configHome, 'systemd', 'user', SYSTEMD_UNIT_NAME),
      content: systemdUnit(context.command),
      install: [
        ['systemctl', '--user', 'daemon-reload'],
        ['systemctl', '--user', 'enable', '--now', SYSTEMD_UNIT_NAME],
      ],
      stop: [['systemctl', '--user', 'disable', '--now', SYSTEMD_UNIT_NAME]],
      afterRemove: [['systemctl', '--user', 'daemon-reload']],
      tool: 'systemctl',
    };
  }
  if (platform === 'darwin') {
    const file = join(homedir, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
    const domain = `gui/${context.uid}`;
    return {
      manager: 'launchd',
      file,
      content: launchdPlist(context.command),
      install: [['launchctl', 'bootstrap', domain, file]],
      stop: [['launchctl', 'bootout', `${domain}/${LAUNCHD_LABEL}`]],
      afterRemove: [],
      tool: 'launchctl',
    };
  }
  throw new UsageError(`vibe service supports Linux (systemd) and macOS (launchd), not ${platform}`);
}

/** The install commands minus the start: for when a daemon outside the service already runs. */
export function enableOnly(plan: ServicePlan): string[][] {
  if (plan.manager === 'launchd') return [];
  return plan.install.map((argv) => argv.filter((word) => word !== '--now'));
}

/** How a command reads when we print it for the user to run. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((word) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/**
 * The command that restarts the service's daemon: how an upgrade's `vibe up` replaces a daemon the service
 * runs, so that the service, not `vibe up`, keeps supervising the new one.
 */
export function serviceRestartCommand(platform: NodeJS.Platform, uid: number): string[] | undefined {
  if (platform === 'linux') return ['systemctl', '--user', 'restart', SYSTEMD_UNIT_NAME];
  if (platform === 'darwin') return ['launchctl', 'kickstart', '-k', `gui/${uid}/${LAUNCHD_LABEL}`];
  return undefined;
}
