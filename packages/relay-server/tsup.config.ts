import { defineConfig } from 'tsup';

export default defineConfig({
  // main: the vibe-relay executable; cli: runRelayCli for `vibe relay`; index: startRelay.
  entry: ['src/main.ts', 'src/cli.ts', 'src/index.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Workspace sources are bundled; ws and redis stay npm dependencies.
  noExternal: ['@vibe/protocol'],
  external: ['ws', 'redis'],
  clean: true,
  sourcemap: true,
});
