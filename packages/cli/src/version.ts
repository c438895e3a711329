// The CLI's own version: its package's, read when vibe starts (see packageVersion).
import { packageVersion } from '@vibe/protocol/node';

export const CLI_VERSION: string = packageVersion(import.meta.url);
