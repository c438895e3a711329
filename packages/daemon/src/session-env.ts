// The environment a session's programs (setup script and agent) start with: the daemon's own, minus what
// would tell an agent CLI it runs unattended on a CI machine, plus what vibe adds for the session.

/**
 * Inherited from wherever `vibe up` ran (a CI machine, a shell that exported them), these make agents
 * headless: with CI=true (or GITHUB_ACTIONS=true) Gemini CLI runs non-interactively and ink-based CLIs
 * draw nothing until they exit. `CI_*` variables stay: they can be the user's own data, and they are not
 * what agents test for.
 */
export const CI_MARKERS = ['CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS'] as const;

/** `inherited` without the CI markers, then `added` (which may set them again: an adapter's choice wins). */
export function sessionEnv(inherited: NodeJS.ProcessEnv, added: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...inherited };
  for (const name of CI_MARKERS) delete env[name];
  return { ...env, ...added };
}
