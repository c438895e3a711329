// The bash completion script: tables generated from the command tree, plus a small fixed walker.
import { allCommands, optionsFor, shellQuote, type CompletionCommand } from './model.js';

export function bashCompletion(root: CompletionCommand): string {
  const commands = allCommands(root);
  const key = (command: CompletionCommand): string => shellQuote(command.path.join(' '));
  const cases = (entries: [string, string][]): string =>
    entries.map(([pattern, words]) => `    ${pattern}) echo ${shellQuote(words)} ;;`).join('\n');

  const subcommands = cases(
    commands.filter((c) => c.subcommands.length > 0).map((c) => [key(c), c.subcommands.map((s) => s.name).join(' ')]),
  );
  const options = cases(commands.map((c) => [key(c), optionsFor(c, root).flatMap((o) => o.flags).join(' ')]));
  const valueOptions = cases(
    commands
      .map((c): [string, string] => [key(c), optionsFor(c, root).filter((o) => o.takesValue).flatMap((o) => o.flags).join(' ')])
      .filter(([, words]) => words !== ''),
  );
  const optionValues = cases(
    commands.flatMap((c) =>
      optionsFor(c, root)
        .filter((o) => o.values)
        .flatMap((o) => o.flags.map((flag): [string, string] => [shellQuote(`${c.path.join(' ')}|${flag}`), o.values!.join(' ')])),
    ),
  );
  const argValues = cases(
    commands.flatMap((c) =>
      c.args.flatMap((values, index): [string, string][] => (values ? [[shellQuote(`${c.path.join(' ')}|${index}`), values.join(' ')]] : [])),
    ),
  );

  return `# bash completion for ${root.name}. Load it with:
#   source <(${root.name} completion bash)
# or save it as ~/.local/share/bash-completion/completions/${root.name}
# Commands: ${commands.filter((c) => c !== root).map((c) => c.path.join(' ')).join(', ')}

_${root.name}_subcommands() {
  case "$1" in
${subcommands}
  esac
}

_${root.name}_options() {
  case "$1" in
${options}
  esac
}

_${root.name}_value_options() {
  case "$1" in
${valueOptions}
  esac
}

_${root.name}_option_values() {
  case "$1" in
${optionValues}
  esac
}

_${root.name}_arg_values() {
  case "$1" in
${argValues}
  esac
}

_${root.name}_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" path="" word subs i skip=0 nargs=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$word" in
      --*=*) ;;
      -*)
        if [[ " $(_${root.name}_value_options "$path") " == *" $word "* ]]; then skip=1; fi
        ;;
      *)
        subs=" $(_${root.name}_subcommands "$path") "
        if ((nargs == 0)) && [[ "$subs" == *" $word "* ]]; then
          path="\${path:+$path }$word"
        else
          nargs=$((nargs + 1))
        fi
        ;;
    esac
  done
  if ((skip)); then
    prev="\${COMP_WORDS[COMP_CWORD-1]}"
    COMPREPLY=($(compgen -W "$(_${root.name}_option_values "$path|$prev")" -- "$cur"))
    return
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_${root.name}_options "$path")" -- "$cur"))
    return
  fi
  local words
  if ((nargs == 0)); then words="$(_${root.name}_subcommands "$path")"; fi
  words="$words $(_${root.name}_arg_values "$path|$nargs")"
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}

complete -F _${root.name}_complete ${root.name}
`;
}
