import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Commands are lazy chunks, so `vibe task ls` loads neither ink nor React nor what other commands use.
  splitting: true,
  noExternal: ['@vibe/protocol'],
  clean: true,
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
});
