// Reads the user's config file. A broken file stops the daemon with the file and the problem named; it is
// never reset or rewritten.
import { readFileSync } from 'node:fs';
import { ConfigFile, parseOrThrow, type ProtocolError } from '@vibe/protocol';
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

/**
 * conf (named in the design) was tried and dropped: it reads the same JSON but loads ajv to check it, which
 * kept 10 MB resident in a daemon whose idle budget is 80 MB, while zod is loaded anyway for the protocol.
 */
export function loadConfig(file: string): VibeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...DEFAULT_CONFIG };
    throw new StartupError('VIBE_CONFIG_INVALID', `cannot read config file ${file}: ${(error as Error).message}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `is not valid JSON: ${(error as Error).message}`, error);
  }
  try {
    return { ...DEFAULT_CONFIG, ...parseOrThrow(ConfigFile, raw, 'invalid_params', 'settings') } as VibeConfig;
  } catch (error) {
    throw invalid(file, `is invalid: ${(error as ProtocolError).message.replace(/^invalid settings: /, '')}`, error);
  }
}

function invalid(file: string, why: string, cause: unknown): StartupError {
  return new StartupError('VIBE_CONFIG_INVALID', `config file ${file} ${why} (fix or remove it; it was left untouched)`, { cause });
}
