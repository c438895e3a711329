// Agent states in plain data, so light clients can use them without the schema library.

/**
 * What the agent is doing. starting: worktree, setup or agent launch under way; working: busy on its turn;
 * waiting: needs the user (a permission prompt, a question, a trust dialog); idle: its turn is over;
 * exited: the process ended.
 */
export const AGENT_STATES = ['starting', 'working', 'waiting', 'idle', 'exited'] as const;
export type AgentState = (typeof AGENT_STATES)[number];
