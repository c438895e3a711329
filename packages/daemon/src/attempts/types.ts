// The attempts room's contract: what it needs from the other rooms, injected by the composition root.
import type { AgentState, VibeEvent } from '@vibe/protocol';
import type { VibePaths } from '@vibe/protocol/node';
import type { AgentAdapter } from '../agents/index.js';
import type { Logger } from '../logger.js';
import type { HostedTerminal, SessionHost } from '../sessions/index.js';
import type { Store } from '../store/index.js';

/** What the attempts need from the worktrees room (injected so tests can fake git where they must). */
export interface WorktreeOps {
  preflight(input: { repo: string; baseBranch: string }): Promise<void>;
  branchName(taskNumber: number, title: string, attempt: number): string;
  createWorktree(input: { repo: string; baseBranch: string; path: string; branch: string }): Promise<void>;
  removeWorktree(input: {
    repo: string;
    path: string;
    branch: string;
    force: boolean;
    dryRun?: boolean;
    logger?: Logger;
  }): Promise<{ unmergedCommits: number; dirty: boolean; removed: boolean }>;
  excludeFromGit(worktree: string, patterns: string[]): Promise<void>;
  isTracked(worktree: string, relPath: string): Promise<boolean>;
}

/** How a session's state is told from its output, and the state it is known to be in already. */
export type Detection = Pick<AgentAdapter, 'usesHooks' | 'hooksReportWorking' | 'waitingPatterns'> & { initialState?: AgentState };

/** What the attempts need from the sessions room's streams: who watches, and what the agent seems to do. */
export interface TerminalRegistry {
  add(sessionId: number, terminal: HostedTerminal, detection: Detection, onState: (state: AgentState) => void): void;
  remove(sessionId: number): void;
  get(sessionId: number): HostedTerminal | undefined;
  lastActivity(sessionId: number): Date | undefined;
  /** A hook reported a state: heuristics defer to it for a while. */
  hookReported(sessionId: number, state: AgentState): void;
}

export interface AttemptsOptions {
  store: Store;
  host: SessionHost;
  terminals: TerminalRegistry;
  worktrees: WorktreeOps;
  resolveAgent(name: string): AgentAdapter;
  defaultAgent(): string;
  paths: VibePaths;
  /** argv prefix that runs a script of the daemon's dist: [node, flags…]. */
  node: string[];
  runnerScript: string;
  hookScript: string;
  /** argv that runs `vibe mcp` (node, the CLI's main.js, "mcp"), wired into each agent; undefined leaves agents without it. */
  mcpCommand?: string[];
  publish(event: VibeEvent | undefined): void;
  logger: Logger;
  size?: { cols: number; rows: number };
  stopGraceMs?: number;
}

/** A start or restart asked for and not yet settled; `what` names it once it is known. */
export interface PendingStart {
  what: string;
}
