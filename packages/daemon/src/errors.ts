// Errors the daemon raises while starting; each carries a stable code and names the path involved.

export type StartupErrorCode =
  | 'VIBE_UNSAFE_DIR'
  | 'VIBE_SOCKET_PATH_TOO_LONG'
  | 'VIBE_CONFIG_INVALID'
  | 'VIBE_DATABASE_UNAVAILABLE'
  | 'VIBE_SECRETS_UNAVAILABLE';

export class StartupError extends Error {
  override readonly name = 'StartupError';

  constructor(
    readonly code: StartupErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
