// Gemini CLI: interactive after running the task as its first prompt; instructions travel in that prompt,
// and state comes from output heuristics (its hooks need a trusted folder and project settings files).
import { joinText } from './files.js';
import type { AgentAdapter, AgentContext, AgentLaunch } from './types.js';
import { GEMINI_WAITING, GENERIC_WAITING } from './waiting-patterns.js';

export const gemini: AgentAdapter = {
  name: 'gemini',
  command: 'gemini',
  usesHooks: false,
  waitingPatterns: [...GEMINI_WAITING, ...GENERIC_WAITING],
  launch: launchGemini,
};

/**
 * The `=` form matters: `gemini -i --version` prints the version (yargs reads the value as a flag), while
 * `--prompt-interactive=--version` is a prompt. One argv element either way.
 */
function launchGemini(ctx: AgentContext): Promise<AgentLaunch> {
  const prompt = joinText(ctx.instructions, ctx.prompt);
  const argv = prompt === '' ? ['gemini'] : ['gemini', `--prompt-interactive=${prompt}`];
  return Promise.resolve({ argv, env: {}, files: [], excludes: [], usesHooks: false });
}
