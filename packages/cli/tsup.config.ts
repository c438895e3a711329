import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Commands are lazy chunks, so `vibe task ls` loads neither ink nor React nor what other commands use.
  splitting: true,
  // Everything but the native keychain binding is bundled: the board's ink, React and yoga load as one
  // chunk instead of hundreds of modules (its first frame is a benchmark), and commander with main.
  noExternal: [/^(?!@napi-rs\/keyring|react-devtools-core)/],
  // ink imports the React devtools only when DEV is set; they are not installed.
  external: ['@napi-rs/keyring', 'react-devtools-core'],
  clean: true,
  sourcemap: true,
  // Bundled CommonJS packages (commander, React) call require(); ESM has none, so each chunk gets one.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __vibeCreateRequire } from 'node:module';\nconst require = __vibeCreateRequire(import.meta.url);",
  },
});
