// The zsh completion script: the same walker as bash, with descriptions through _describe.
import { allCommands, optionsFor, shellQuote, type CompletionCommand } from './model.js';

export function zshCompletion(root: CompletionCommand): string {
  const name = root.name;
  const commands = allCommands(root);
  const key = (command: CompletionCommand): string => shellQuote(command.path.join(' '));
  /** `_describe` specs are "word:description"; a colon inside the word must be escaped. */
  const spec = (word: string, description: string): string => shellQuote(`${word.replaceAll(':', '\\:')}:${description}`);
  const arrayCases = (entries: [string, string[]][]): string =>
    entries.map(([pattern, items]) => `    ${pattern}) reply=(${items.join(' ')}) ;;`).join('\n');
  const wordCases = (entries: [string, string][]): string =>
    entries.map(([pattern, words]) => `    ${pattern}) reply=(${words}) ;;`).join('\n');

  const subcommands = arrayCases(
    commands.filter((c) => c.subcommands.length > 0).map((c) => [key(c), c.subcommands.map((s) => spec(s.name, s.description))]),
  );
  const options = arrayCases(
    commands.map((c) => [key(c), optionsFor(c, root).flatMap((o) => o.flags.map((flag) => spec(flag, o.description)))]),
  );
  const valueOptions = wordCases(
    commands
      .map((c): [string, string] => [key(c), optionsFor(c, root).filter((o) => o.takesValue).flatMap((o) => o.flags).join(' ')])
      .filter(([, words]) => words !== ''),
  );
  const optionValues = wordCases(
    commands.flatMap((c) =>
      optionsFor(c, root)
        .filter((o) => o.values)
        .flatMap((o) => o.flags.map((flag): [string, string] => [shellQuote(`${c.path.join(' ')}|${flag}`), o.values!.join(' ')])),
    ),
  );
  const argValues = wordCases(
    commands.flatMap((c) =>
      c.args.flatMap((values, index): [string, string][] => (values ? [[shellQuote(`${c.path.join(' ')}|${index}`), values.join(' ')]] : [])),
    ),
  );

  return `#compdef ${name}
# zsh completion for ${name}. Load it with:
#   source <(${name} completion zsh)
# or save it as _${name} in a directory on $fpath.
# Commands: ${commands.filter((c) => c !== root).map((c) => c.path.join(' ')).join(', ')}

_${name}_subcommands() {
  reply=()
  case "$1" in
${subcommands}
  esac
}

_${name}_options() {
  reply=()
  case "$1" in
${options}
  esac
}

_${name}_value_options() {
  reply=()
  case "$1" in
${valueOptions}
  esac
}

_${name}_option_values() {
  reply=()
  case "$1" in
${optionValues}
  esac
}

_${name}_arg_values() {
  reply=()
  case "$1" in
${argValues}
  esac
}

_${name}() {
  local path_="" word i skip=0 nargs=0
  local -a reply subs
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$word" in
      --*=*) ;;
      -*)
        _${name}_value_options "$path_"
        if ((\${reply[(Ie)$word]})); then skip=1; fi
        ;;
      *)
        _${name}_subcommands "$path_"
        subs=(\${reply%%:*})
        if ((nargs == 0 && \${subs[(Ie)$word]})); then
          path_="\${path_:+$path_ }$word"
        else
          nargs=$((nargs + 1))
        fi
        ;;
    esac
  done
  local cur="\${words[CURRENT]}"
  if ((skip)); then
    _${name}_option_values "$path_|\${words[CURRENT-1]}"
    ((\${#reply})) && compadd -- "\${reply[@]}"
    return
  fi
  if [[ "$cur" == -* ]]; then
    _${name}_options "$path_"
    _describe -t options 'option' reply
    return
  fi
  if ((nargs == 0)); then
    _${name}_subcommands "$path_"
    ((\${#reply})) && _describe -t commands 'command' reply
  fi
  _${name}_arg_values "$path_|$nargs"
  ((\${#reply})) && compadd -- "\${reply[@]}"
  return 0
}

if [[ "\${funcstack[1]}" == "_${name}" ]]; then
  _${name} "$@"
else
  compdef _${name} ${name}
fi
`;
}
