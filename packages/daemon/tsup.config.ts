import { defineConfig } from 'tsup';

export default defineConfig({
  // main: the daemon; runner: what each session's terminal runs; hook: what agent hooks call.
  entry: ['src/main.ts', 'src/runner.ts', 'src/hook.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Workspace sources are bundled; npm dependencies (better-sqlite3 is native) stay external.
  noExternal: ['@vibe/protocol'],
  external: ['better-sqlite3', 'node-pty'],
  clean: true,
  sourcemap: true,
});
