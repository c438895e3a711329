// The CLI's own version, read from its package.json at build time (the bundler inlines just this field).
import { version } from '../package.json';

export const CLI_VERSION: string = version;
