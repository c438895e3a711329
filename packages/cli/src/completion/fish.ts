// The fish completion script: one `complete` line per subcommand, option and value, keyed by command path.
import { allCommands, optionsFor, type CompletionCommand, type CompletionOption } from './model.js';

/** fish single quotes: only backslash and the quote itself are special. */
function fishQuote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

export function fishCompletion(root: CompletionCommand): string {
  const name = root.name;
  const commands = allCommands(root);
  const at = (command: CompletionCommand): string => fishQuote(`__${name}_at ${fishQuote(command.path.join(' '))}`);
  const lines: string[] = [];

  for (const command of commands) {
    const options = optionsFor(command, root);
    const usage = [name, ...command.path, ...options.map((o) => o.flags.at(-1) ?? '')].join(' ');
    lines.push('', `# ${usage}`);
    for (const sub of command.subcommands) {
      lines.push(`complete -c ${name} -n ${fishQuote(`__${name}_at ${fishQuote(command.path.join(' '))}; and __${name}_nargs 0`)} -a ${fishQuote(sub.name)} -d ${fishQuote(sub.description)}`);
    }
    for (const option of options) lines.push(optionLine(name, at(command), option));
    command.args.forEach((values, index) => {
      if (!values) return;
      const condition = fishQuote(`__${name}_at ${fishQuote(command.path.join(' '))}; and __${name}_nargs ${index}`);
      lines.push(`complete -c ${name} -n ${condition} -a ${fishQuote(values.join(' '))}`);
    });
  }

  const subcommandCases = commands
    .filter((c) => c.subcommands.length > 0)
    .map((c) => `        case ${fishQuote(c.path.join(' '))}\n            printf '%s\\n' ${c.subcommands.map((s) => fishQuote(s.name)).join(' ')}`)
    .join('\n');
  const valueOptionCases = commands
    .map((c) => [c, optionsFor(c, root).filter((o) => o.takesValue).flatMap((o) => o.flags)] as const)
    .filter(([, flags]) => flags.length > 0)
    .map(([c, flags]) => `        case ${fishQuote(c.path.join(' '))}\n            printf '%s\\n' ${flags.map(fishQuote).join(' ')}`)
    .join('\n');

  return `# fish completion for ${name}. Load it with:
#   ${name} completion fish | source
# or save it as ~/.config/fish/completions/${name}.fish

function __${name}_subcommands --argument-names path
    switch $path
${subcommandCases}
    end
end

function __${name}_value_options --argument-names path
    switch $path
${valueOptionCases}
    end
end

# Prints the command path typed so far ("task ls") and the number of positional arguments after it.
function __${name}_state
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path ''
    set -l nargs 0
    set -l skip 0
    for token in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case '--*=*'
            case '-*'
                if contains -- $token (__${name}_value_options $path)
                    set skip 1
                end
            case '*'
                if test $nargs = 0; and contains -- $token (__${name}_subcommands $path)
                    set path (string trim -- "$path $token")
                else
                    set nargs (math $nargs + 1)
                end
        end
    end
    echo $path
    echo $nargs
end

function __${name}_at --argument-names want
    set -l state (__${name}_state)
    test "$state[1]" = "$want"
end

function __${name}_nargs --argument-names want
    set -l state (__${name}_state)
    test "$state[2]" = "$want"
end

complete -c ${name} -f
${lines.join('\n')}
`;
}

function optionLine(name: string, condition: string, option: CompletionOption): string {
  const parts = [`complete -c ${name} -n ${condition}`];
  for (const flag of option.flags) {
    if (flag.startsWith('--')) parts.push(`-l ${flag.slice(2)}`);
    else parts.push(`-s ${flag.slice(1)}`);
  }
  if (option.takesValue) parts.push(option.values ? `-x -a ${fishQuote(option.values.join(' '))}` : '-r');
  parts.push(`-d ${fishQuote(option.description)}`);
  return parts.join(' ');
}
