// Walks the commander program into a plain tree that the bash, zsh and fish generators share.
import type { Command } from 'commander';

export interface CompletionOption {
  /** Every spelling: ['-n', '--lines']. */
  flags: string[];
  description: string;
  takesValue: boolean;
  /** Values to offer for the option's argument, if known. */
  values?: readonly string[];
}

export interface CompletionCommand {
  name: string;
  /** Names from the root down, without the program name: ['task', 'ls']. */
  path: string[];
  description: string;
  options: CompletionOption[];
  subcommands: CompletionCommand[];
  /** Values to offer for each positional argument, by position (undefined: no suggestions). */
  args: (readonly string[] | undefined)[];
}

/** Suggestions for option arguments and positionals by their name (`--status`, `<status>`), beyond commander's choices. */
export type ValueHints = Readonly<Record<string, readonly string[]>>;

export function completionModel(program: Command, hints: ValueHints = {}): CompletionCommand {
  return walk(program, [], hints, true);
}

function walk(command: Command, path: string[], hints: ValueHints, isRoot: boolean): CompletionCommand {
  const options: CompletionOption[] = command.options
    .filter((option) => !option.hidden)
    .map((option) => {
      const values = option.argChoices ?? hints[option.attributeName()];
      return {
        flags: [option.short, option.long].filter((flag): flag is string => Boolean(flag)),
        description: option.description,
        takesValue: option.required || option.optional,
        ...(values && { values }),
      };
    });
  options.push({ flags: ['-h', '--help'], description: 'display help for command', takesValue: false });
  const subcommands = command.commands.map((sub) => walk(sub, [...path, sub.name()], hints, false));
  if (isRoot && subcommands.length > 0) {
    // commander's implicit `help [command]` is not in .commands.
    subcommands.push({
      name: 'help',
      path: ['help'],
      description: 'display help for command',
      options: [],
      subcommands: [],
      args: [subcommands.map((sub) => sub.name)],
    });
  }
  return {
    name: command.name(),
    path,
    description: command.description(),
    options,
    subcommands,
    args: command.registeredArguments.map((argument) => argument.argChoices ?? hints[argument.name()]),
  };
}

/** Every command in the tree, root first. */
export function allCommands(root: CompletionCommand): CompletionCommand[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}

/** The program options that commander accepts after any subcommand too (like --debug). */
export function globalOptions(root: CompletionCommand): CompletionOption[] {
  return root.options.filter((option) => !option.flags.includes('--version') && !option.flags.includes('--help'));
}

/** Options offered for a command: its own, then the global ones it does not already have. */
export function optionsFor(command: CompletionCommand, root: CompletionCommand): CompletionOption[] {
  if (command === root) return command.options;
  const own = new Set(command.options.flatMap((option) => option.flags));
  return [...command.options, ...globalOptions(root).filter((option) => !option.flags.some((flag) => own.has(flag)))];
}

/** Quotes a string for any POSIX-like shell (and fish): single quotes, with embedded ones escaped. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
