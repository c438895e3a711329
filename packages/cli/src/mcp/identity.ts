// Which task `vibe mcp` speaks for: the daemon puts the attempt's project and task in every session's
// environment and in each agent's MCP configuration (VIBE_PROJECT, VIBE_TASK, VIBE_ATTEMPT), and the socket
// of the daemon that started it (VIBE_SOCKET).

export interface McpIdentity {
  /** The project's name; undefined outside a session, where the daemon resolves the project from the cwd. */
  project: string | undefined;
  /** The task this agent works on; undefined outside a session, where the inbox tools cannot know their task. */
  task: number | undefined;
  attempt: number | undefined;
  /** The daemon's socket; undefined means the usual one for this user (or VIBE_LINK). */
  socket: string | undefined;
}

function positive(text: string | undefined): number | undefined {
  if (text === undefined || !/^[1-9]\d{0,9}$/.test(text)) return undefined;
  return Number(text);
}

export function identityFromEnv(env: NodeJS.ProcessEnv): McpIdentity {
  return {
    project: env.VIBE_PROJECT || undefined,
    task: positive(env.VIBE_TASK),
    attempt: positive(env.VIBE_ATTEMPT),
    socket: env.VIBE_SOCKET?.startsWith('/') ? env.VIBE_SOCKET : undefined,
  };
}

/** The project selector every request carries: the named project, else the one containing `cwd`. */
export function projectSelector(identity: McpIdentity, cwd: string): { project: string } | { cwd: string } {
  return identity.project === undefined ? { cwd } : { project: identity.project };
}
