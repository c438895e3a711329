// The command tree. Each action imports its command module only when it runs, so `vibe task ls` loads
// neither the TUI (ink, React) nor the keychain binding nor any other command's code.
import { Argument, Command, Option, type OutputConfiguration } from 'commander';
import { TASK_STATUSES } from '@vibe/protocol';
import { CLI_VERSION } from './version.js';

const STATUS_LIST = TASK_STATUSES.join(', ');

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `output` replaces where help and version text go (tests capture it); errors are main.ts's to print. */
export function buildProgram(output: Pick<OutputConfiguration, 'writeOut' | 'writeErr'> = {}): Command {
  const program = new Command('vibe')
    .description('Run AI coding agents in parallel, each task in its own git worktree and terminal session.')
    .version(CLI_VERSION, '-V, --version', 'print the versions of this vibe and of the running daemon')
    .option('--debug', 'show stack traces and error details')
    .option('--link <url>', 'reach the daemon through a relay link (`vibe connect` prints one) instead of the local socket; also $VIBE_LINK')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    // main.ts prints every error once, as one line, and picks the exit code.
    .exitOverride()
    .configureOutput({ ...output, outputError: () => {} })
    .hook('preAction', async (command) => {
      const link = command.opts<{ link?: string }>().link;
      if (link !== undefined) (await import('./daemon-connection.js')).useLink(link);
    });

  program
    .command('up')
    .description('start the daemon if needed and register this git repository as a project')
    .option('--json', 'print the result as JSON')
    .action(async (options) => (await import('./commands/up.js')).up(options));

  program
    .command('status')
    .description('show the daemon, the machine, the session host, projects and task counts')
    .option('--json', 'print the status as JSON')
    .action(async (options) => (await import('./commands/status.js')).status(options));

  program
    .command('down')
    .description('stop the daemon')
    .option('--json', 'print the result as JSON')
    .action(async (options) => (await import('./commands/down.js')).down(options));

  const task = program.command('task').description('add, list, show, edit, move, start, stop and remove tasks');
  const projectOption = (): Option => new Option('--project <name>', 'the project (default: the one containing the current directory)');

  task
    .command('add')
    .description('add a task in todo and print its id')
    .argument('<title>', 'what the task is about')
    .option('--description <text>', 'longer description for the agent; "-" reads it from stdin')
    .option('--agent <name>', 'agent to run (default: the configured default)')
    .option('--start', 'start it right away, as `vibe task start` would')
    .addOption(projectOption())
    .option('--json', 'print the new task as JSON ({ "task", "session" } with --start)')
    .action(async (title: string, options) => (await import('./commands/task-add.js')).taskAdd(title, options));

  task
    .command('ls')
    .alias('list')
    .description('list tasks')
    .option('--status <status>', `only these statuses (repeatable or comma-separated): ${STATUS_LIST}`, collect)
    .option('--all-projects', 'list the tasks of every project')
    .addOption(projectOption())
    .option('--json', 'print { "tasks": [...] } as JSON')
    .action(async (options) => (await import('./commands/task-ls.js')).taskLs(options));

  task
    .command('show')
    .description('show every field of a task and its description')
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .addOption(projectOption())
    .option('--json', 'print the task as JSON')
    .action(async (id: string, options) => (await import('./commands/task-show.js')).taskShow(id, options));

  task
    .command('edit')
    .description("change a task's title, description or agent")
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .option('--title <title>', 'new title')
    .option('--description <text>', 'new description; "-" reads it from stdin')
    .addOption(new Option('--agent <name>', 'agent to run').conflicts('defaultAgent'))
    .option('--default-agent', 'use the configured default agent')
    .addOption(projectOption())
    .option('--json', 'print the updated task as JSON')
    .action(async (id: string, options) => (await import('./commands/task-edit.js')).taskEdit(id, options));

  task
    .command('mv')
    .alias('move')
    .description('move a task to another status')
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .argument('<status>', STATUS_LIST)
    .addOption(projectOption())
    .option('--json', 'print the moved task as JSON')
    .action(async (id: string, status: string, options) => (await import('./commands/task-mv.js')).taskMv(id, status, options));

  task
    .command('rm')
    .alias('remove')
    .description('delete a task (its number is not reused)')
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .option('--force', "also delete its attempts' worktrees and branches, unmerged work included")
    .addOption(projectOption())
    .option('--json', 'print the removed task as JSON')
    .action(async (id: string, options) => (await import('./commands/task-rm.js')).taskRm(id, options));

  task
    .command('start')
    .description('start a new attempt: a worktree and branch, the setup script, then the agent in a session')
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .option('--agent <name>', "agent for this attempt (default: the task's, else the configured default)")
    .addOption(projectOption())
    .option('--json', 'print { "session": ... } as JSON')
    .action(async (id: string, options) => (await import('./commands/task-start.js')).taskStart(id, options));

  task
    .command('stop')
    .description("stop the task's running session (gracefully, then by force); its worktree is kept")
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .addOption(projectOption())
    .option('--json', 'print { "sessions": [...] } (the stopped ones) as JSON')
    .action(async (id: string, options) => (await import('./commands/task-stop.js')).taskStop(id, options));

  const attemptOption = (): Option => new Option('--attempt <n>', "which attempt (default: the task's newest)");

  task
    .command('diff')
    .description("show an attempt's changes against its base branch, uncommitted ones included")
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .option('--stat', 'a diffstat: each file with its added and removed lines')
    .option('--name-only', 'only the names of the changed files')
    .addOption(attemptOption())
    .addOption(projectOption())
    .option('--json', 'print { "base", "branch", "mergeBase", "files", "patch", "truncated" } as JSON')
    .action(async (id: string, options) => (await import('./commands/task-diff.js')).taskDiff(id, options));

  task
    .command('review')
    .description("send review feedback to the attempt's agent (restarting it in its worktree if it exited)")
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .argument('<comment>', 'the feedback; "-" reads it from stdin')
    .addOption(attemptOption())
    .addOption(projectOption())
    .option('--json', 'print { "delivered", "session" } as JSON')
    .action(async (id: string, comment: string, options) => (await import('./commands/task-review.js')).taskReview(id, comment, options));

  task
    .command('merge')
    .description('land an attempt on the base branch (all or nothing); the task goes to done and its worktree is removed')
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .option('--squash', 'one commit on the base branch (the default)')
    .option('--rebase', "the attempt's commits replayed onto the base branch")
    .option('--merge', 'a merge commit')
    .option('--message <text>', 'the commit message (squash and merge)')
    .option('--keep-branch', "keep the attempt's branch after merging")
    .option('--force', 'merge even while the agent is still working')
    .addOption(attemptOption())
    .addOption(projectOption())
    .option('--json', 'print { "task", "commit", "mode" } as JSON')
    .action(async (id: string, options) => (await import('./commands/task-merge.js')).taskMerge(id, options));

  task
    .command('rebase')
    .description('bring an attempt up to date with its base branch; a conflict is undone, or handed to the agent')
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .option('--ask-agent', 'on conflict, leave the rebase in progress and ask the agent to resolve it')
    .addOption(attemptOption())
    .addOption(projectOption())
    .option('--json', 'print { "outcome", "files" } as JSON')
    .action(async (id: string, options) => (await import('./commands/task-rebase.js')).taskRebase(id, options));

  task
    .command('pr')
    .description("push the attempt's branch and open a pull request with gh, or print the compare URL; on a fork checkout the branch goes to the fork and the pull request upstream")
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .option('--draft', 'open it as a draft')
    .option('--remote <name>', 'the git remote to push to (default: remote.pushDefault, else origin, else the only remote)')
    .option('--repo <[host/]owner/name>', "the GitHub repository to open it in (default: gh's default repository, else the upstream remote's, else origin's)")
    .addOption(attemptOption())
    .addOption(projectOption())
    .option('--json', 'print { "remote", "pushed", "via", "url", "repo" } as JSON')
    .action(async (id: string, options) => (await import('./commands/task-pr.js')).taskPr(id, options));

  task
    .command('log')
    .description("show the task's history: edits, moves, attempts, agent states, reviews, merges")
    .argument('<id>', 'task id: 3, #3 or PROJECT#3')
    .addOption(projectOption())
    .option('--json', 'print { "entries": [...] } as JSON')
    .action(async (id: string, options) => (await import('./commands/task-log.js')).taskLog(id, options));

  program
    .command('gc')
    .description("remove finished attempts' worktrees; a branch with unmerged commits is kept unless --force")
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--force', 'also remove worktrees and branches holding unmerged work')
    .option('--json', 'print { "removed", "kept" } as JSON')
    .action(async (options) => (await import('./commands/gc.js')).gc(options));

  const project = program.command('project').description("list projects and change a project's settings");

  project
    .command('ls')
    .alias('list')
    .description('list projects with their settings')
    .option('--json', 'print { "projects": [...] } as JSON')
    .action(async (options) => (await import('./commands/project-ls.js')).projectLs(options));

  project
    .command('set')
    .description("change the project's base branch, setup command, agent instructions or session limit")
    .option('--base <branch>', 'branch new attempts start from')
    .option('--setup <command>', 'shell command run in each new worktree before the agent (npm ci, say)')
    .option('--no-setup', 'run no setup command')
    .option('--instructions <file>', 'text given to every agent of the project, read from FILE ("-": stdin)')
    .option('--no-instructions', 'give agents no project instructions')
    .option('--max-sessions <n>', 'running sessions allowed at once (1-64, default 8)')
    .addOption(projectOption())
    .option('--json', 'print the updated project as JSON')
    .action(async (options) => (await import('./commands/project-set.js')).projectSet(options));

  program
    .command('ps')
    .description('list sessions: task, agent, state, process, CPU, memory, last activity')
    .option('--all-projects', 'the sessions of every project')
    .option('--running', 'only sessions whose process still runs')
    .addOption(projectOption())
    .option('--json', 'print { "sessions": [...] } as JSON')
    .action(async (options) => (await import('./commands/ps.js')).ps(options));

  program
    .command('board')
    .description('the full-screen task board: live columns, start, attach, diff and merge from the keyboard (also bare `vibe` on a terminal)')
    .addOption(projectOption())
    .action(async (options) => (await import('./commands/board.js')).board(options));

  program
    .command('attach')
    .description("show a session's terminal full-screen and type into it; the detach key (Ctrl-]) returns to the shell")
    .argument('[id]', "task id (3, #3, PROJECT#3: its newest attempt) or session id (s4)")
    .option('--session <n>', 'attach to this session id')
    .option('--read-only', 'watch without typing')
    .option('--detach-key <key>', 'key that detaches, like ctrl-] or ctrl-q (default: $VIBE_DETACH_KEY, else ctrl-])')
    .addOption(projectOption())
    .action(async (id: string | undefined, options) => (await import('./commands/attach.js')).attach(id, options));

  program
    .command('send')
    .description("type text into a session, as if at its keyboard")
    .argument('<id>', 'task id (3, #3, PROJECT#3) or session id (s4); with --session, the text')
    .argument('[text]', 'what to type; "-" reads it from stdin')
    .option('--enter', 'press Enter after the text')
    .option('--session <n>', 'type into this session id')
    .addOption(projectOption())
    .option('--json', 'print the result as JSON')
    .action(async (id: string, text: string | undefined, options) => (await import('./commands/send.js')).send(id, text, options));

  program
    .command('mcp')
    .description("serve vibe's tools to an agent over MCP on stdin/stdout: tasks, follow-ups, diffs and task inboxes (vibe wires it into each agent it starts)")
    .action(async () => (await import('./commands/mcp.js')).mcp());

  program
    .command('approvals')
    .description('list what agents ask permission for and wait on — every project, or --project NAME')
    .option('--all', 'answered and cancelled approvals too, with who answered')
    .addOption(projectOption())
    .option('--json', 'print { "approvals": [...] } as JSON')
    .action(async (options) => (await import('./commands/approvals.js')).approvals(options));

  program
    .command('approve')
    .description('allow what an agent asked for; it goes on at once (the first answer wins)')
    .argument('<id>', 'approval id, as `vibe approvals` lists it')
    .option('--json', 'print the answered approval as JSON')
    .action(async (id: string, options) => (await import('./commands/approvals.js')).approve(id, options));

  program
    .command('deny')
    .description('deny what an agent asked for; the agent is told, with the reason')
    .argument('<id>', 'approval id, as `vibe approvals` lists it')
    .option('--reason <text>', 'why, passed to the agent')
    .option('--json', 'print the answered approval as JSON')
    .action(async (id: string, options) => (await import('./commands/approvals.js')).deny(id, options));

  program
    .command('chat')
    .description("post to the project's chat, or print its newest messages, with who wrote each")
    .argument('[message]', 'what to post; "-" reads it from stdin; leave it out to read the chat')
    .option('--limit <n>', 'how many of the newest messages to print (1-500, default 100)')
    .addOption(projectOption())
    .option('--json', 'print { "messages": [...] }, or the posted { "message", "duplicate" }, as JSON')
    .action(async (message: string | undefined, options) => (await import('./commands/chat.js')).chat(message, options));

  program
    .command('service')
    .description('run the daemon as a systemd user service (Linux) or launchd agent (macOS), or stop doing so')
    .addArgument(new Argument('<action>', 'install or uninstall').choices(['install', 'uninstall']))
    .option('--dry-run', 'print the service file and the commands, change nothing')
    .option('--json', 'print the result as JSON')
    .action(async (action: string, options) => (await import('./commands/service.js')).service(action, options));

  program
    .command('doctor')
    .description('check git, tmux, agent CLIs, the keychain, the config file and the daemon')
    .option('--json', 'print the checks as JSON')
    .action(async (options) => (await import('./commands/doctor.js')).doctor(options));

  program
    .command('logs')
    .description("show the daemon's log")
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('-n, --lines <n>', 'how many of the last lines to show', '50')
    .option('--json', 'print entries as a JSON array (one object per line with --follow)')
    .action(async (options) => (await import('./commands/logs.js')).logs(options));

  program
    .command('connect')
    .description('reach this daemon from a browser or another machine: set up a relay (embedded by default) and print a new link and its QR code')
    .option('--relay <url>', 'use this relay (https://…) instead of the embedded one')
    .option('--host <host>', 'where the embedded relay listens (default 127.0.0.1; 0.0.0.0 for the LAN)')
    .option('--port <port>', 'the embedded relay\'s port (default: the one used before, else a free one)')
    .option('--read-only', 'a view-only link: it can list and watch, never type or change anything')
    .option('--label <name>', 'name the link (shown in `vibe links ls`)')
    .option('--no-qr', 'print the link without its QR code')
    .option('--json', 'print { "relay", "link", "url" } as JSON')
    .action(async (options) => (await import('./commands/connect.js')).connect(options));

  program
    .command('disconnect')
    .description('close the relay connection (and stop the embedded relay) until the next `vibe connect`')
    .option('--json', 'print the relay status as JSON')
    .action(async (options) => (await import('./commands/connect.js')).disconnect(options));

  const links = program.command('links').description('list and revoke the links that reach this daemon through the relay');
  links
    .command('ls')
    .alias('list')
    .description('every link: label, kind, created, last seen, live connections')
    .option('--json', 'print { "links": [...] } as JSON')
    .action(async (options) => (await import('./commands/connect.js')).linksLs(options));
  links
    .command('revoke')
    .description("revoke a link: its live connections close at once, other links keep working")
    .argument('<id>', 'the link id (from `vibe links ls`)')
    .option('--json', 'print the revoked link as JSON')
    .action(async (id: string, options) => (await import('./commands/connect.js')).linksRevoke(id, options));

  program
    .command('relay')
    .description('run a relay server in the foreground (`vibe relay --help` for its options; same as npx @vibe/relay-server)')
    .helpOption(false)
    .allowUnknownOption()
    .argument('[options...]', 'passed to the relay server')
    .action(async (args: string[]) => (await import('./commands/relay.js')).relay(args));

  program
    .command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: string) => (await import('./commands/completion.js')).completion(program, shell));

  return program;
}
