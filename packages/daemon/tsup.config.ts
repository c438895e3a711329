import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Workspace sources are bundled; npm dependencies (better-sqlite3 is native) stay external.
  noExternal: ['@vibe/protocol'],
  external: ['better-sqlite3'],
  clean: true,
  sourcemap: true,
});
