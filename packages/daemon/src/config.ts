// Reads the user's config file (conf, JSON-schema checked). A broken file stops the daemon; it is never reset.
import { basename, dirname } from 'node:path';
import Conf from 'conf';
import { StartupError } from './errors.js';
import type { LogLevel } from './logger.js';

export interface VibeConfig {
  /** Agent used when a task names none. */
  defaultAgent: string;
  /** How long a write waits for a database locked by another process. */
  busyTimeoutMs: number;
  logLevel: LogLevel;
  /** Custom agents by name; their shape is defined by the agents room (sessions issue). */
  agents: Record<string, Record<string, unknown>>;
}

export const DEFAULT_CONFIG: VibeConfig = {
  defaultAgent: 'claude',
  busyTimeoutMs: 5000,
  logLevel: 'info',
  agents: {},
};

const schema = {
  defaultAgent: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', maxLength: 40 },
  busyTimeoutMs: { type: 'integer', minimum: 0, maximum: 600_000 },
  logLevel: { enum: ['debug', 'info', 'warn', 'error'] },
  agents: { type: 'object', additionalProperties: { type: 'object' } },
} as const;

export function loadConfig(file: string): VibeConfig {
  try {
    const conf = new Conf<Partial<VibeConfig>>({
      cwd: dirname(file),
      configName: basename(file, '.json'),
      projectName: 'vibe',
      schema: schema as never,
      clearInvalidConfig: false,
      configFileMode: 0o600,
      watch: false,
    });
    return { ...DEFAULT_CONFIG, ...conf.store };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const why = error instanceof SyntaxError ? `is not valid JSON: ${message}` : `is invalid: ${message.replace(/^Config schema violation: /, '')}`;
    throw new StartupError('VIBE_CONFIG_INVALID', `config file ${file} ${why} (fix or remove it; it was left untouched)`, { cause: error });
  }
}
