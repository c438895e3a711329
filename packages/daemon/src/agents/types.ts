// The agents room's contract: what an adapter is given about an attempt, and what it returns to launch it.

/** What vibe knows about the attempt being launched. */
export interface AgentContext {
  sessionId: number;
  /** Absolute path of the attempt's worktree (the agent's cwd). */
  worktree: string;
  /** Absolute path of the project's own checkout, which the worktree was made from. */
  repository: string;
  /** The task title and description: the agent's first prompt. */
  prompt: string;
  /** Project instructions plus a short vibe note; may be empty. */
  instructions: string;
  hook: {
    /** Reports a state when run with the event name appended: `working`, `waiting` or `idle`. */
    argv: string[];
    /** VIBE_HOOK_NODE, VIBE_HOOK_SCRIPT, VIBE_SESSION, VIBE_HOOK_TOKEN, VIBE_SOCKET. */
    env: Record<string, string>;
  };
  /** `vibe mcp` for this attempt, to wire into the agent's MCP configuration; absent when this vibe has no CLI to run. */
  mcp?: McpServer;
}

/** How an agent starts `vibe mcp` (a stdio MCP server), and the task it speaks for. */
export interface McpServer {
  command: string;
  args: string[];
  /** VIBE_SOCKET, VIBE_PROJECT, VIBE_TASK, VIBE_ATTEMPT: set in the agent's config, as some CLIs pass MCP servers little of their own. */
  env: Record<string, string>;
  project: string;
  task: number;
}

/** How to start the agent; argv is run directly (execvp), never joined into a shell string. */
export interface AgentLaunch {
  argv: string[];
  /** Added to the session's environment. */
  env: Record<string, string>;
  /** Files to write before launch (see writeAgentFiles); paths relative to the worktree. */
  files: Array<{ path: string; content: string }>;
  /** Root-anchored patterns for excludeFromGit, so `files` never show in status, diffs or merges. */
  excludes: string[];
  /** Whether this launch reports state through the hook; false means output heuristics only. */
  usesHooks: boolean;
  /** Text to type into the session once it starts (custom agents with `prompt: "stdin"`). */
  stdin?: string;
}

export interface LaunchOptions {
  /** True when the repository tracks `rel` (a file, or a directory holding tracked files). */
  isTracked(rel: string): Promise<boolean>;
}

export interface AgentAdapter {
  name: string;
  /** The program looked up on PATH (or an absolute path). */
  command: string;
  /** Whether the adapter can wire the CLI's own hook/notify mechanism (a launch may still fall back). */
  usesHooks: boolean;
  /** False when the hooks only report a turn's end, so output must say when the agent works again. */
  hooksReportWorking?: boolean;
  launch(ctx: AgentContext, opts: LaunchOptions): Promise<AgentLaunch>;
  /** Screen text meaning the agent needs the user (a permission prompt, a question, a trust dialog). */
  waitingPatterns: RegExp[];
  /**
   * The keys that answer the agent's own permission dialog, typed as they are. Set only for an agent whose
   * permission requests vibe cannot take through a hook: its dialogs become screen approvals — those whose
   * screen matches one of `prompts` when given (a trust prompt is not a permission, and takes other keys).
   */
  screenKeys?: { allow: string; deny: string; prompts?: RegExp[] };
  /**
   * The agent shows its own permission dialog while its hook holds the request (Claude Code), so leaving
   * `waiting` means the dialog was answered at the desk. Agents whose hook holds the request with no dialog on
   * screen (Codex, Gemini CLI) leave it unset: a state change says nothing about their approvals.
   */
  dialogBesideHook?: boolean;
}

/** The hook variables a custom agent with `hooks: "env"` receives. */
export const HOOK_ENV_KEYS = ['VIBE_HOOK_NODE', 'VIBE_HOOK_SCRIPT', 'VIBE_SESSION', 'VIBE_HOOK_TOKEN', 'VIBE_SOCKET'] as const;
