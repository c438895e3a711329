// Codex CLI: interactive with the task as its first prompt; turn ends reported through its `notify`
// program; permission requests through a PermissionRequest hook; instructions in AGENTS.override.md (which
// Codex reads instead of AGENTS.md in that directory); `vibe mcp` through `-c mcp_servers.vibe.*` overrides.
import { createHash } from 'node:crypto';
import { APPROVAL_TIMEOUT_SECONDS } from './claude.js';
import { asFileText, joinText, readRepoFile } from './files.js';
import { codexMcpArgs, withMcpNote } from './mcp.js';
import { shCommand, tomlArray, tomlString } from './quoting.js';
import type { AgentAdapter, AgentContext, AgentLaunch, LaunchOptions } from './types.js';
import { CODEX_PERMISSION_PROMPTS, CODEX_WAITING, GENERIC_WAITING } from './waiting-patterns.js';

const OVERRIDE_FILE = 'AGENTS.override.md';

export const codex: AgentAdapter = {
  name: 'codex',
  command: 'codex',
  usesHooks: true,
  hooksReportWorking: false,
  waitingPatterns: [...CODEX_WAITING, ...GENERIC_WAITING],
  // The PermissionRequest hook holds Codex's command and network approvals; a dialog it does not reach (or one
  // shown after the hook gave no answer) is still a screen approval. "Yes, proceed" is y; Esc is "No, and tell
  // Codex what to do differently".
  screenKeys: { allow: 'y', deny: '\x1b', prompts: CODEX_PERMISSION_PROMPTS },
  launch: launchCodex,
};

/**
 * Codex runs `notify` with one JSON argument appended after ours (`... idle {"type":"agent-turn-complete",…}`)
 * and only at the end of a turn, so `working` and `waiting` come from output heuristics.
 */
async function launchCodex(ctx: AgentContext, { isTracked }: LaunchOptions): Promise<AgentLaunch> {
  const launch: AgentLaunch = {
    argv: ['codex', '-c', `notify=${tomlArray([...ctx.hook.argv, 'idle'])}`, ...approvalHookArgs(ctx.hook.argv)],
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

/** Where Codex says `-c` overrides come from, in a hook's trust key (`<source>:<event>:<group>:<handler>`). */
const SESSION_FLAGS_SOURCE = '/<session-flags>/config.toml';

/**
 * The hook as `-c` overrides, with its trust. Codex runs a hook that is not managed only once it is trusted:
 * `hooks.state."<key>".trusted_hash` is the hash of the hook as Codex normalises it, which its review screen
 * writes to ~/.codex/config.toml — but any user-controlled layer may hold it, `-c` included, so the trust
 * lasts this session and covers this hook alone (`--dangerously-bypass-hook-trust` would run every untrusted
 * hook, a repository's too). A hash that no longer matches (Codex changed how it hashes) brings Codex's
 * "Hooks need review" screen up at start; the real Codex test pins it.
 */
export function approvalHookArgs(hookArgv: readonly string[]): string[] {
  const command = shCommand([...hookArgv, 'approval', 'codex']);
  const handler = { type: 'command', command, timeout: APPROVAL_TIMEOUT_SECONDS, async: false };
  const key = `${SESSION_FLAGS_SOURCE}:permission_request:0:0`;
  return [
    '-c',
    `hooks.PermissionRequest=[{hooks=[{type="command",command=${tomlString(command)},timeout=${APPROVAL_TIMEOUT_SECONDS}}]}]`,
    '-c',
    `hooks.state={${tomlString(key)}={trusted_hash=${tomlString(hookHash({ event_name: 'permission_request', hooks: [handler] }))}}}`,
  ];
}

/** Codex's `version_for_toml` of a hook's identity: SHA-256 of its compact JSON with every object's keys sorted. */
export function hookHash(identity: object): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(sortedKeys(identity))).digest('hex')}`;
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]));
}
