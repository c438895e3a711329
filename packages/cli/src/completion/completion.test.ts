// Shell completion scripts, run in real bash, zsh and fish where installed, against the real command tree.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completionScript } from '../commands/completion.js';
import { UsageError } from '../errors.js';
import { buildProgram } from '../program.js';
import { completionModel } from './model.js';

const script = (shell: string): string => completionScript(buildProgram(), shell);

/** Runs the bash completion function for `line` (the cursor at its end) and returns the suggestions. */
function bashComplete(line: string): string[] {
  const words = line.split(' ');
  const harness = `${script('bash')}
COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_vibe_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['--norc', '--noprofile', '-c', harness], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** zsh and fish are not on every machine; their tests run where they are. */
const has = (shell: string): boolean => spawnSync(shell, ['-c', 'exit 0']).status === 0;

/** Runs the zsh completion function with _describe and compadd stubbed to print what they are given. */
function zshComplete(line: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'vibe-zsh-'));
  writeFileSync(join(dir, '_vibe'), script('zsh'));
  const harness = `compdef() { :; }
_describe() { local -a arr; arr=("\${(@P)\${@[-1]}}"); print -l -- "\${arr[@]%%:*}"; }
compadd() { shift; print -l -- "$@"; }
source ${join(dir, '_vibe')}
words=(\${=1})
[[ "$1" == *' ' ]] && words+=('')
CURRENT=\${#words}
_vibe`;
  return execFileSync('zsh', ['-f', '-c', harness, 'zsh', line], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Asks fish itself what it would complete. */
function fishComplete(line: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'vibe-fish-'));
  writeFileSync(join(dir, 'vibe.fish'), script('fish'));
  const out = execFileSync('fish', ['--no-config', '-c', `source ${join(dir, 'vibe.fish')}; complete -C $argv[1]`, line], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((entry) => entry.split('\t')[0]!);
}

describe('completion scripts', () => {
  it.each(['bash', 'zsh', 'fish'])('%s mentions the task commands and their options', (shell) => {
    const text = script(shell);
    expect(text).toContain('task');
    expect(text).toContain('ls');
    expect(text).toContain('--json');
    expect(text).toContain('in_progress');
  });

  it('refuses an unknown shell with a usage error', () => {
    expect(() => script('tcsh')).toThrow(UsageError);
  });

  it('writes a bash script that bash can parse', () => {
    expect(() => execFileSync('bash', ['-n'], { input: script('bash') })).not.toThrow();
  });

  it('registers the bash function for vibe', () => {
    expect(script('bash')).toContain('complete -F _vibe_complete vibe');
  });

  it('writes a zsh script that registers itself with compdef', () => {
    const text = script('zsh');
    expect(text.startsWith('#compdef vibe\n')).toBe(true);
    expect(text).toContain('compdef _vibe vibe');
  });

  it('writes fish complete lines for subcommands and statuses', () => {
    const text = script('fish');
    expect(text).toMatch(/complete -c vibe -n '__vibe_at \\'task\\'; and __vibe_nargs 0' -a 'ls'/);
    expect(text).toMatch(/-l status -x -a 'todo in_progress in_review done cancelled'/);
  });
});

describe('bash completion behaviour', () => {
  it('offers the top-level commands', () => {
    expect(bashComplete('vibe ')).toEqual(
      expect.arrayContaining(['up', 'status', 'down', 'task', 'project', 'ps', 'attach', 'send', 'service', 'doctor', 'logs', 'completion', 'help']),
    );
  });

  it('offers task subcommands after task', () => {
    expect(bashComplete('vibe task ')).toEqual(expect.arrayContaining(['add', 'ls', 'show', 'edit', 'mv', 'rm', 'start', 'stop']));
  });

  it('completes a partial subcommand', () => {
    expect(bashComplete('vibe task s')).toEqual(['show', 'start', 'stop']);
    expect(bashComplete('vibe task st')).toEqual(['start', 'stop']);
  });

  it('offers the project subcommands and the options of project set, negations included', () => {
    expect(bashComplete('vibe project ')).toEqual(expect.arrayContaining(['ls', 'set']));
    expect(bashComplete('vibe project set --')).toEqual(
      expect.arrayContaining(['--base', '--setup', '--no-setup', '--instructions', '--no-instructions', '--max-sessions', '--project', '--json']),
    );
  });

  it('offers the options of attach, send and task start', () => {
    expect(bashComplete('vibe attach --')).toEqual(expect.arrayContaining(['--read-only', '--session', '--detach-key']));
    expect(bashComplete('vibe send --')).toEqual(expect.arrayContaining(['--enter', '--session']));
    expect(bashComplete('vibe task start --')).toEqual(expect.arrayContaining(['--agent', '--json']));
    expect(bashComplete('vibe task rm --')).toContain('--force');
    expect(bashComplete('vibe task add --')).toContain('--start');
  });

  it('offers the push remote and the repository to task pr', () => {
    expect(bashComplete('vibe task pr --re')).toEqual(['--remote', '--repo']);
  });

  it('offers install and uninstall to service', () => {
    expect(bashComplete('vibe service ')).toEqual(['install', 'uninstall']);
  });

  it('offers the options of task ls, global ones included', () => {
    expect(bashComplete('vibe task ls --')).toEqual(expect.arrayContaining(['--status', '--all-projects', '--project', '--json', '--debug', '--help']));
  });

  it('offers statuses for --status', () => {
    expect(bashComplete('vibe task ls --status ')).toEqual(['todo', 'in_progress', 'in_review', 'done', 'cancelled']);
  });

  it('offers statuses for the second argument of task mv, not the first', () => {
    expect(bashComplete('vibe task mv 3 in')).toEqual(['in_progress', 'in_review']);
    expect(bashComplete('vibe task mv ')).toEqual([]);
  });

  it('skips option values when finding the command', () => {
    expect(bashComplete('vibe task mv --project web 3 d')).toEqual(['done']);
  });

  it('offers shells to completion', () => {
    expect(bashComplete('vibe completion ')).toEqual(['bash', 'zsh', 'fish']);
  });
});

describe('completionModel', () => {
  it('walks commands, aliases aside, with their options and arguments', () => {
    const model = completionModel(buildProgram(), { status: ['todo'] });
    const task = model.subcommands.find((command) => command.name === 'task')!;
    const mv = task.subcommands.find((command) => command.name === 'mv')!;
    expect(mv.path).toEqual(['task', 'mv']);
    expect(mv.args).toEqual([undefined, ['todo']]);
    const logs = model.subcommands.find((command) => command.name === 'logs')!;
    expect(logs.options.find((option) => option.flags.includes('--lines'))).toMatchObject({ flags: ['-n', '--lines'], takesValue: true });
  });
});

describe.skipIf(!has('zsh'))('zsh completion behaviour', () => {
  it('parses', () => {
    expect(() => execFileSync('zsh', ['-n'], { input: script('zsh') })).not.toThrow();
  });

  it('offers task subcommands after task', () => {
    expect(zshComplete('vibe task ')).toEqual(['add', 'ls', 'show', 'edit', 'mv', 'rm', 'start', 'stop', 'diff', 'review', 'merge', 'rebase', 'pr', 'log']);
  });

  it('offers statuses for --status and for task mv', () => {
    const statuses = ['todo', 'in_progress', 'in_review', 'done', 'cancelled'];
    expect(zshComplete('vibe task ls --status ')).toEqual(statuses);
    expect(zshComplete('vibe task mv --project x 3 ')).toEqual(statuses);
  });

  it('offers options, --json included', () => {
    expect(zshComplete('vibe task ls --')).toContain('--json');
  });
});

describe.skipIf(!has('fish'))('fish completion behaviour', () => {
  it('offers task subcommands after task', () => {
    expect(fishComplete('vibe task ').sort()).toEqual(['add', 'diff', 'edit', 'log', 'ls', 'merge', 'mv', 'pr', 'rebase', 'review', 'rm', 'show', 'start', 'stop']);
  });

  it('offers statuses for the second argument of task mv', () => {
    expect(fishComplete('vibe task mv 3 ').sort()).toEqual(['cancelled', 'done', 'in_progress', 'in_review', 'todo']);
    expect(fishComplete('vibe task mv ')).toEqual([]);
  });

  it('offers options, --json included', () => {
    expect(fishComplete('vibe task ls --')).toContain('--json');
  });
});
