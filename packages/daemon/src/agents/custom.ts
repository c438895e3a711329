// Custom agents from the config file: an argv template, how the prompt reaches the program, an optional
// instruction file and optional hook variables. Validated here so a bad entry is one clear error.
import { ProtocolError } from '@vibe/protocol';
import { z } from 'zod';
import { asFileText, safeRelativePath } from './files.js';
import { ignorePattern } from './quoting.js';
import { HOOK_ENV_KEYS, type AgentAdapter, type AgentContext, type AgentLaunch, type LaunchOptions } from './types.js';
import { GENERIC_WAITING } from './waiting-patterns.js';

export const PROMPT_PLACEHOLDER = '{prompt}';

const Arg = z.string().max(4096).refine((s) => !s.includes('\0'), 'argv elements cannot contain NUL');

/** One `agents.<name>` entry of the config file. Unknown keys are refused: they are nearly always typos. */
export const CustomAgentConfig = z
  .strictObject({
    command: z.array(Arg).min(1).max(64).describe(`argv template; an element that is exactly ${PROMPT_PLACEHOLDER} becomes the prompt`),
    prompt: z.enum(['argv', 'stdin', 'none']).default('argv').describe('argv: as an argument (appended if no placeholder); stdin: typed in after start; none'),
    instructionsFile: z.string().min(1).max(255).optional().describe('file (relative to the worktree) to write the instructions to'),
    hooks: z.literal('env').optional().describe('env: the hook is passed in VIBE_HOOK_* variables'),
    approvalKeys: z
      .strictObject({ allow: z.string().min(1).max(64), deny: z.string().min(1).max(64) })
      .optional()
      .describe("keys that answer the program's own permission prompt: its prompts become screen approvals"),
  })
  .superRefine((agent, ctx) => {
    const [program] = agent.command;
    if (program === '' || program === PROMPT_PLACEHOLDER) ctx.addIssue({ code: 'custom', path: ['command', 0], message: 'the first element must name the program' });
    agent.command.forEach((arg, i) => {
      if (arg !== PROMPT_PLACEHOLDER && arg.includes(PROMPT_PLACEHOLDER)) {
        ctx.addIssue({ code: 'custom', path: ['command', i], message: `${PROMPT_PLACEHOLDER} must be a whole element (split "--flag=${PROMPT_PLACEHOLDER}" into "--flag", "${PROMPT_PLACEHOLDER}")` });
      }
    });
    if (agent.prompt !== 'argv' && agent.command.includes(PROMPT_PLACEHOLDER)) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: `${PROMPT_PLACEHOLDER} needs prompt "argv", not "${agent.prompt}"` });
    }
    if (agent.instructionsFile !== undefined) {
      try {
        safeRelativePath(agent.instructionsFile, 'instructionsFile');
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['instructionsFile'], message: (error as Error).message });
      }
    }
  });
export type CustomAgentConfig = z.infer<typeof CustomAgentConfig>;

/** An adapter for the config entry `agents.<name>`; throws `invalid_params` naming the field that is wrong. */
export function customAgent(name: string, raw: unknown): AgentAdapter {
  const parsed = CustomAgentConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = ['agents', name, ...issue.path.map(String)].join('.');
    throw new ProtocolError('invalid_params', `custom agent "${name}" in the config is invalid: ${where}: ${issue.message}`);
  }
  const config = parsed.data;
  return {
    name,
    command: config.command[0]!,
    usesHooks: config.hooks === 'env',
    waitingPatterns: [...GENERIC_WAITING],
    ...(config.approvalKeys && { screenKeys: config.approvalKeys }),
    launch: (ctx, opts) => launchCustom(name, config, ctx, opts),
  };
}

async function launchCustom(name: string, config: CustomAgentConfig, ctx: AgentContext, { isTracked }: LaunchOptions): Promise<AgentLaunch> {
  const argv = config.command.map((arg) => (arg === PROMPT_PLACEHOLDER ? ctx.prompt : arg));
  if (config.prompt === 'argv' && !config.command.includes(PROMPT_PLACEHOLDER) && ctx.prompt !== '') argv.push(ctx.prompt);
  const launch: AgentLaunch = { argv, env: {}, files: [], excludes: [], usesHooks: config.hooks === 'env' };
  if (config.prompt === 'stdin' && ctx.prompt !== '') launch.stdin = ctx.prompt;
  if (config.hooks === 'env') {
    for (const key of HOOK_ENV_KEYS) if (ctx.hook.env[key] !== undefined) launch.env[key] = ctx.hook.env[key];
  }
  if (config.instructionsFile !== undefined && ctx.instructions.trim() !== '') {
    const rel = safeRelativePath(config.instructionsFile, 'instructionsFile');
    if (await isTracked(rel)) {
      throw new ProtocolError('conflict', `custom agent "${name}" writes its instructions to ${rel}, which the repository tracks; vibe will not overwrite it (choose another instructionsFile)`);
    }
    launch.files.push({ path: rel, content: asFileText(ctx.instructions) });
    launch.excludes.push(ignorePattern(rel));
  }
  return launch;
}
