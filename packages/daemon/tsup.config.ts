import { defineConfig } from 'tsup';

export default defineConfig({
  // main: the daemon; runner: what each session's terminal runs; hook: what agent hooks call; pty-worker:
  // the daemon's thread that reads tmux's attach clients.
  entry: ['src/main.ts', 'src/runner.ts', 'src/hook.ts', 'src/pty-worker.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Each entry is one self-contained file. A runner lives as long as its session, across upgrades that
  // replace this folder, and a hook runs whichever file is there now: neither may need a chunk of another build.
  splitting: false,
  // Everything but the native modules is bundled, so the installed package needs no other dependency.
  noExternal: [/^(?!better-sqlite3|node-pty|@napi-rs\/keyring)/],
  external: ['better-sqlite3', 'node-pty', '@napi-rs/keyring', 'bufferutil', 'utf-8-validate'],
  clean: true,
  sourcemap: true,
  // Bundled CommonJS packages (ws) call require(); ESM has none, so each file gets one.
  banner: {
    js: "import { createRequire as __vibeCreateRequire } from 'node:module';\nconst require = __vibeCreateRequire(import.meta.url);",
  },
});
