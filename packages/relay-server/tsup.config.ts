import { defineConfig } from 'tsup';

export default defineConfig({
  // main: the vibe-relay executable; cli: runRelayCli for `vibe relay`; index: startRelay.
  entry: ['src/main.ts', 'src/cli.ts', 'src/index.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Everything is bundled (ws, and redis as a chunk loaded only with --redis), so the published package has
  // no dependencies to install. ws's optional native helpers are left to ws's own fallback.
  noExternal: [/.*/],
  external: ['bufferutil', 'utf-8-validate'],
  clean: true,
  sourcemap: true,
  // Bundled CommonJS packages (ws) call require(); ESM has none, so each chunk gets one.
  banner: {
    js: "import { createRequire as __vibeCreateRequire } from 'node:module';\nconst require = __vibeCreateRequire(import.meta.url);",
  },
});
