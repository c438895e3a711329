// `vibe service install|uninstall`: runs the daemon as a systemd user service (Linux) or launchd agent (macOS).
import { execFile } from 'node:child_process';
import { mkdir, open, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { DaemonUnavailableError } from '@vibe/protocol/node';
import { connect, requireLocal } from '../daemon-connection.js';
import { findExecutable } from '../doctor/find-executable.js';
import { CliError, UsageError } from '../errors.js';
import { escapeText } from '../escape.js';
import { printJson, printLine, say } from '../output.js';
import { vibePaths } from '../paths.js';
import { commandLine, enableOnly, servicePlan, type ServicePlan } from '../service/service-plan.js';

export interface ServiceOptions {
  dryRun?: boolean;
  json?: boolean;
}

export const SERVICE_ACTIONS = ['install', 'uninstall'] as const;

export async function service(action: string, options: ServiceOptions): Promise<void> {
  requireLocal('service');
  if (action !== 'install' && action !== 'uninstall') throw new UsageError(`unknown action ${JSON.stringify(action)}: use install or uninstall`);
  const vibe = await installedVibe(process.argv[1] ?? '', process.env.PATH);
  const plan = servicePlan({
    platform: process.platform,
    env: process.env,
    homedir: homedir(),
    uid: process.getuid?.() ?? 0,
    command: { node: process.execPath, ...vibe, vibeHome: vibePaths().home, path: process.env.PATH },
  });
  if (action === 'install') await install(plan, options);
  else await uninstall(plan, options);
}

async function install(plan: ServicePlan, options: ServiceOptions): Promise<void> {
  const running = await runningDaemon();
  // A daemon started by `vibe up` holds the lock: starting the service now would only fail and retry.
  const commands = running === undefined ? plan.install : enableOnly(plan);
  if (options.dryRun) {
    if (options.json) printJson({ manager: plan.manager, file: plan.file, content: plan.content, commands, dryRun: true });
    else {
      process.stdout.write(plan.content);
      say(`would write ${escapeText(plan.file)}`);
      for (const argv of commands) say(`would run: ${escapeText(commandLine(argv))}`);
    }
    return;
  }
  const previous = await readFile(plan.file, 'utf8').catch(() => undefined);
  await mkdir(dirname(plan.file), { recursive: true });
  await writeFile(plan.file, plan.content, { mode: 0o644 });
  const ran = await runAll(plan, commands);
  if (options.json) {
    printJson({ manager: plan.manager, file: plan.file, commands, ran, daemonRunning: running !== undefined });
    return;
  }
  say(`wrote ${escapeText(plan.file)}`);
  if (!ran) return printManual(plan, commands);
  if (running !== undefined) {
    const start = plan.manager === 'systemd' ? 'systemctl --user start vibe.service' : commandLine(plan.install[0]!);
    say(`the daemon already running (pid ${running}) was left alone; the service starts it from the next login, or now: vibe down && ${escapeText(start)}`);
  } else if (previous !== undefined && previous !== plan.content && plan.manager === 'systemd') {
    say('the unit changed; `systemctl --user restart vibe.service` applies it (agents in tmux keep running)');
  } else {
    say(`the daemon now runs as a ${plan.manager === 'systemd' ? 'systemd user service' : 'launchd agent'}`);
  }
}

async function uninstall(plan: ServicePlan, options: ServiceOptions): Promise<void> {
  const exists = await readFile(plan.file, 'utf8').then(
    () => true,
    () => false,
  );
  if (options.dryRun) {
    const commands = [...plan.stop, ...plan.afterRemove];
    if (options.json) printJson({ manager: plan.manager, file: plan.file, installed: exists, commands, dryRun: true });
    else {
      say(exists ? `would remove ${escapeText(plan.file)}` : `not installed (no ${escapeText(plan.file)})`);
      if (exists) for (const argv of commands) say(`would run: ${escapeText(commandLine(argv))}`);
    }
    return;
  }
  if (!exists) {
    if (options.json) printJson({ manager: plan.manager, file: plan.file, removed: false });
    else say(`not installed (no ${escapeText(plan.file)})`);
    return;
  }
  // Stopping may fail when the service was never loaded (systemctl unavailable, a copied file): removal goes on.
  const stopped = await runAll(plan, plan.stop, { tolerant: true });
  await rm(plan.file, { force: true });
  const reloaded = await runAll(plan, plan.afterRemove, { tolerant: true });
  if (options.json) {
    printJson({ manager: plan.manager, file: plan.file, removed: true, ran: stopped && reloaded });
    return;
  }
  say(`removed ${escapeText(plan.file)}`);
  if (!stopped) printManual(plan, [...plan.stop, ...plan.afterRemove]);
  else say('the service is stopped; agents in tmux keep running (`vibe up` starts a daemon that re-adopts them)');
}

/** Runs `commands` in order; false when the tool is not on PATH (nothing run) or, if tolerant, one failed. */
async function runAll(plan: ServicePlan, commands: string[][], { tolerant = false } = {}): Promise<boolean> {
  if (commands.length === 0) return true;
  const tool = await findExecutable(plan.tool, process.env.PATH);
  if (!tool) return false;
  for (const [program, ...args] of commands) {
    try {
      await run(program === plan.tool ? tool : program!, args);
    } catch (error) {
      if (tolerant) return false;
      throw new CliError(`\`${commandLine([program!, ...args])}\` failed: ${(error as Error).message}`, 1, { cause: error });
    }
  }
  return true;
}

function run(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: 30_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(stderr.trim().split('\n')[0] || error.message));
      else resolve();
    });
  });
}

function printManual(plan: ServicePlan, commands: string[][]): void {
  if (commands.length === 0) return;
  say(`${plan.tool} is not available here; run:`);
  for (const argv of commands) printLine(`  ${escapeText(commandLine(argv))}`);
}

/**
 * The vibe the service runs: the launcher this command was started through — npm's bin link, a checkout's
 * bin/vibe — and not the file it leads to, which some package managers keep in a folder named after the
 * version, deleted by the next upgrade. Started from inside node_modules (npx, a package manager's shim),
 * the `vibe` on PATH is the installed one; with none, there is nothing an upgrade would keep.
 */
export async function installedVibe(argv1: string, path: string | undefined): Promise<{ vibe: string; script: boolean }> {
  let vibe: string | undefined = argv1;
  if (argv1 === '' || insidePackages(argv1)) {
    // npx and `npm exec` put their own install's node_modules/.bin first on PATH: that one is not installed.
    const installed = (path ?? '').split(':').filter((entry) => entry !== '' && !insidePackages(entry)).join(':');
    vibe = await findExecutable('vibe', installed);
    if (vibe && insidePackages(await realpath(vibe).catch(() => vibe!))) vibe = undefined;
    if (!vibe) {
      throw new CliError(
        `this vibe runs from ${escapeText(argv1 || 'an unknown place')}, which the next upgrade or cache clean removes: install vibe (npm i -g @vibe/cli), then run \`vibe service install\``,
      );
    }
  }
  return { vibe, script: await isNodeScript(vibe) };
}

/** Whether a path lies in a package manager's tree (node_modules, npx's cache), which upgrades and cache cleans replace. */
function insidePackages(path: string): boolean {
  const parts = path.split('/');
  return parts.includes('node_modules') || parts.includes('_npx');
}

/** Whether the file starts with a `#!` line naming node (npm's bin links lead to one; shims are shell scripts). */
async function isNodeScript(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(128), 0, 128, 0);
    const first = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0]!;
    return first.startsWith('#!') && /\bnode\b/.test(first);
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** The pid of a daemon that answers now, if any. */
async function runningDaemon(): Promise<number | undefined> {
  try {
    const { client, welcome } = await connect({ timeoutMs: 2_000 });
    client.close();
    return welcome.daemon.pid;
  } catch (error) {
    if (error instanceof DaemonUnavailableError) return undefined;
    throw error;
  }
}
