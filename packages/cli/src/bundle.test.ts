// Guards start-up time: bundles the CLI the way tsup does and checks what `vibe task ls` and every other command load.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const cliRoot = fileURLToPath(new URL('..', import.meta.url));

async function bundle(): Promise<Metafile> {
  const result = await build({
    absWorkingDir: cliRoot,
    entryPoints: ['src/main.ts'],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: 'dist-bundle-test',
    write: false,
    metafile: true,
    plugins: [
      {
        // As tsup does: dependencies stay external, except the protocol, which is bundled.
        name: 'externals',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@vibe/protocol') ? undefined : { path: args.path, external: true }));
        },
      },
    ],
    logLevel: 'silent',
  });
  return result.metafile;
}

/**
 * Inputs and static external imports of `entry` and every chunk it imports statically, plus the named lazy
 * chunk: what loads before the command runs (a dynamic import, such as the relay client behind --link, loads
 * only when taken).
 */
function loadedBy(meta: Metafile, lazyCommand: string): { inputs: string[]; externals: string[] } {
  const outputs = meta.outputs;
  const main = Object.keys(outputs).find((path) => outputs[path]!.entryPoint === 'src/main.ts')!;
  const lazy = Object.keys(outputs).find((path) => Object.keys(outputs[path]!.inputs).includes(`src/commands/${lazyCommand}.ts`))!;
  const seen = new Set<string>();
  const externals = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const item of outputs[path]!.imports) {
      if (item.kind !== 'import-statement') continue;
      if (item.external) externals.add(item.path);
      else visit(item.path);
    }
  };
  visit(main);
  visit(lazy);
  return { inputs: [...seen].flatMap((path) => Object.keys(outputs[path]!.inputs)), externals: [...externals] };
}

describe('the bundle', () => {
  it('loads only commander and Node built-ins for `vibe task ls`, and no zod, ink, React or keyring', async () => {
    const { inputs, externals } = loadedBy(await bundle(), 'task-ls');
    expect(inputs.some((input) => input.includes('zod'))).toBe(false);
    expect(inputs.some((input) => input.includes('protocol/src/messages/'))).toBe(false);
    expect(externals.filter((name) => !name.startsWith('node:'))).toEqual(['commander']);
  }, 30_000);

  it('loads zod and the message schemas for `vibe doctor` (which checks the config file with them) and `vibe mcp` (its tools\' inputs are schemas), and no other command', async () => {
    const meta = await bundle();
    const commands = readdirSync(join(cliRoot, 'src', 'commands'))
      .filter((file) => !file.includes('.test.'))
      .map((file) => file.replace(/\.tsx?$/, ''));
    const schemaLoads = (command: string): boolean => {
      const { inputs, externals } = loadedBy(meta, command);
      return [...inputs, ...externals].some((input) => input.includes('zod') || input.includes('protocol/src/messages/') || input.includes('protocol/src/config-file'));
    };
    expect(commands.filter(schemaLoads)).toEqual(['doctor', 'mcp']);
  }, 30_000);
});
