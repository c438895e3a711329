// Size limits every peer enforces. Plain data (no schema library) so light clients can import it.
export const LIMITS = {
  /** Largest control message payload, in bytes, a client may send to the daemon. */
  maxMessageBytes: 1024 * 1024,
  /** Largest payload a client accepts from the daemon (a long task list with full descriptions). */
  maxResponseBytes: 256 * 1024 * 1024,
  /** Task title length, in Unicode code points (as the schemas and JSON Schema count them). */
  titleMax: 500,
  /** Task description length, in Unicode code points. */
  descriptionMax: 65_536,
  projectNameMax: 100,
  agentNameMax: 40,
  pathMax: 4096,
  branchMax: 255,
  /** A project's setup command. */
  setupMax: 10_000,
  /** The largest `maxSessions` a project may set. */
  maxSessionsMax: 64,
  /** Text typed by one `session.send`. */
  sendTextMax: 65_536,
  /** @since 1.4 Bytes one `file.write` chunk or `file.read` answer carries (before base64), so a chunk fits a control message. */
  fileChunkBytes: 512 * 1024,
  /** @since 1.4 The largest file `file.write` uploads. */
  fileUploadBytes: 50 * 1024 * 1024,
  /** @since 1.5 One inbox message to a task, in Unicode code points. */
  inboxTextMax: 16_000,
  /** @since 1.5 One chat message, in Unicode code points. */
  chatTextMax: 4000,
  /** @since 1.5 The most messages one `chat.list` returns. */
  chatListMax: 500,
  /** @since 1.5 What an approval quotes of the command, file or input it asks about, in code points. */
  approvalDetailMax: 8000,
  /** @since 1.5 The reason given with a denied approval. */
  approvalReasonMax: 2000,
} as const;

/** gh's `--repo`: `OWNER/NAME`, or `HOST/OWNER/NAME` for GitHub Enterprise. Here, not with the schemas, so the CLI checks it without loading zod. */
export const REPO_NAME_PATTERN = /^(?:[A-Za-z0-9.-]+\/)?[A-Za-z0-9][\w.-]*\/[\w.-]+$/;
