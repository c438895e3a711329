// What a session learns of its attempt: the environment that names it, and the `vibe mcp` server its agent
// is given (run with that environment, so it speaks for this task).

/** Which attempt this is, for anything run in the session that speaks for it (`vibe mcp` first of all). */
export function attemptEnv(project: string, task: number, attempt: number): Record<string, string> {
  return { VIBE_PROJECT: project, VIBE_TASK: String(task), VIBE_ATTEMPT: String(attempt) };
}

/** The MCP server entry an adapter wires into its agent; undefined when this vibe has no `vibe mcp` to run. */
export function mcpServer(command: readonly string[] | undefined, socket: string, env: Record<string, string>, project: string, task: number) {
  return (
    command && {
      command: command[0]!,
      args: command.slice(1),
      env: { VIBE_SOCKET: socket, ...env },
      project,
      task,
    }
  );
}
