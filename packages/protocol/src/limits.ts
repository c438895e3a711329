// Size limits every peer enforces. Plain data (no schema library) so light clients can import it.
export const LIMITS = {
  /** Largest control message payload, in bytes, either way. */
  maxMessageBytes: 1024 * 1024,
  /** Task title length, in UTF-16 code units. */
  titleMax: 500,
  /** Task description length, in UTF-16 code units. */
  descriptionMax: 65_536,
  projectNameMax: 100,
  agentNameMax: 40,
  pathMax: 4096,
  branchMax: 255,
} as const;
