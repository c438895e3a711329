import { defineConfig } from 'tsup';

// Built only so scripts/export-schema.mjs can run; the other packages bundle the sources directly.
export default defineConfig({
  entry: ['src/index.ts', 'src/node/index.ts'],
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: [/^node:/],
  clean: true,
});
