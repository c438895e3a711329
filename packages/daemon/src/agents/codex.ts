// Codex CLI: interactive with the task as its first prompt; turn ends reported through its `notify`
// program; instructions in AGENTS.override.md (which Codex reads instead of AGENTS.md in that directory);
// `vibe mcp` through `-c mcp_servers.vibe.*` overrides.
import { asFileText, joinText, readRepoFile } from './files.js';
import { codexMcpArgs, withMcpNote } from './mcp.js';
import { tomlArray } from './quoting.js';
import type { AgentAdapter, AgentContext, AgentLaunch, LaunchOptions } from './types.js';
import { CODEX_PERMISSION_PROMPTS, CODEX_WAITING, GENERIC_WAITING } from './waiting-patterns.js';

const OVERRIDE_FILE = 'AGENTS.override.md';

export const codex: AgentAdapter = {
  name: 'codex',
  command: 'codex',
  usesHooks: true,
  hooksReportWorking: false,
  waitingPatterns: [...CODEX_WAITING, ...GENERIC_WAITING],
  // Codex 0.171 has a PermissionRequest hook, but runs a hook only after the user trusts it in Codex's own
  // review screen (trust is a hash of the hook kept in ~/.codex/config.toml), so vibe cannot wire one without
  // writing the user's configuration: its dialogs are screen approvals. "Yes, proceed" is y; Esc is "No, and
  // tell Codex what to do differently".
  screenKeys: { allow: 'y', deny: '\x1b', prompts: CODEX_PERMISSION_PROMPTS },
  launch: launchCodex,
};

/**
 * Codex runs `notify` with one JSON argument appended after ours (`... idle {"type":"agent-turn-complete",…}`)
 * and only at the end of a turn, so `working` and `waiting` come from output heuristics.
 */
async function launchCodex(ctx: AgentContext, { isTracked }: LaunchOptions): Promise<AgentLaunch> {
  const launch: AgentLaunch = {
    argv: ['codex', '-c', `notify=${tomlArray([...ctx.hook.argv, 'idle'])}`],
    env: { ...ctx.hook.env },
    files: [],
    excludes: [],
    usesHooks: true,
  };
  if (ctx.mcp) launch.argv.push(...codexMcpArgs(ctx.mcp));
  let prompt = ctx.prompt;
  const instructions = withMcpNote(ctx);
  if (instructions.trim() !== '') {
    if (await isTracked(OVERRIDE_FILE)) {
      prompt = joinText(instructions, prompt); // the repo's own override wins; ours rides in the prompt
    } else {
      // The override replaces AGENTS.md in the worktree root, so it carries the repository's text first.
      const repoText = await readRepoFile(ctx.worktree, 'AGENTS.md');
      launch.files.push({ path: OVERRIDE_FILE, content: asFileText(joinText(repoText ?? '', instructions)) });
      launch.excludes.push(`/${OVERRIDE_FILE}`);
    }
  }
  // `--` keeps a prompt like `--help` or `login` from being read as an option or subcommand.
  if (prompt !== '') launch.argv.push('--', prompt);
  return launch;
}
