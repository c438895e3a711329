// Lint: typescript-eslint with type information for the promise rules, and import rules that hold the
// package arrows in place (everything points down to protocol; protocol is runtime-neutral).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const otherPackages = (...names) => names.flatMap((name) => [`@vibe/${name}`, `@vibe/${name}/*`, `**/${name}/src/**`]);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/results/**', 'docs/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['packages/protocol/src/**'],
    // Tests run under Node and may use it; the shipped sources may not.
    ignores: ['packages/protocol/src/node/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', '@vibe/*', '**/daemon/**', '**/cli/**'], message: 'protocol is runtime-neutral and imports no workspace package; Node-only code goes in src/node/.' }] }],
    },
  },
  {
    files: ['packages/daemon/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: otherPackages('cli', 'relay-server'), message: 'the daemon depends only on @vibe/protocol' }] }],
      'no-console': 'error',
    },
  },
  {
    files: ['packages/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: otherPackages('daemon', 'relay-server'), message: 'the CLI talks to the daemon only through @vibe/protocol' }] }],
    },
  },
  {
    files: ['packages/relay-server/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: otherPackages('daemon', 'cli'), message: 'the relay depends only on @vibe/protocol' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'bin/vibe'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
