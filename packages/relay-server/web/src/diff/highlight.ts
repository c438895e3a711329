// A small syntax colourer for diff lines: keywords, strings, comments and numbers, one line at a time.
// A diff shows fragments, so there is no state between lines: a line inside a multi-line comment or string
// reads as code (except C-style ` * ` comment lines), and a string left open on its line runs to the end
// of the line, but a `'` that does not close on its line is an apostrophe or a Rust lifetime, not a string.

export type TokenKind = 'kw' | 'str' | 'com' | 'num' | 'plain';

export interface Token {
  text: string;
  kind: TokenKind;
}

/** A compiled language: one regular expression whose named groups are the token kinds, and its keywords. */
export interface Language {
  pattern: RegExp;
  keywords: ReadonlySet<string>;
  /** C-like: a line starting with `*` continues a `/* … *\/` block comment (CSS has too many `* {` for this). */
  starLines: boolean;
}

/** Past this a line is likely minified or generated; colouring it would only cost time. */
const MAX_LENGTH = 1000;

const SLASH = '//.*|/\\*.*?(?:\\*/|$)';
const HASH = '#.*';
// `#` starting a word (not `$#`), the space before it included: lookbehind is missing before Safari 16.4.
const WORD_HASH = '(?:^|\\s)#.*';
const DQ = '"(?:\\\\.|[^"\\\\])*(?:"|$)';
const SQ = "'(?:\\\\.|[^'\\\\])*'";
const BT = '`(?:\\\\.|[^`\\\\])*(?:`|$)';
const NUM = '(?<num>\\b(?:0[xXbBoO][\\da-fA-F_]+|\\d[\\d_]*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)[a-zA-Z%]*)';
const ID = '(?<id>[A-Za-z_$][\\w$]*)';

interface Spec {
  com: string;
  str: string;
  kw: string;
  /** A leading key (YAML, TOML, CSS property) coloured as a keyword. */
  key?: string;
}

const C = 'break case catch class const continue default do else enum extends false finally for if import new null return static switch this throw true try void while';
const SPECS: Record<string, Spec> = {
  js: { com: SLASH, str: `${DQ}|${SQ}|${BT}`, kw: `${C} as async await debugger delete export from function in instanceof interface let of private protected public readonly satisfies super type typeof undefined var yield` },
  json: { com: SLASH, str: DQ, kw: 'true false null' },
  py: { com: HASH, str: `${DQ}|${SQ}`, kw: 'and as assert async await break class continue def del elif else except False finally for from global if import in is lambda None nonlocal not or pass raise return self True try while with yield match case' },
  go: { com: SLASH, str: `${DQ}|${SQ}|${BT}`, kw: `${C} chan defer func go goto interface map nil package range select struct type var` },
  rs: { com: SLASH, str: `${DQ}|'(?:\\\\.|[^'\\\\])'`, kw: 'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while' },
  c: { com: SLASH, str: `${DQ}|${SQ}`, kw: `${C} auto bool boolean char define delete double endif final float ifdef ifndef implements include int long namespace nullptr package private protected public short signed sizeof struct template typedef union unsigned using virtual volatile` },
  sh: { com: WORD_HASH, str: `${DQ}|${SQ}`, kw: 'if then else elif fi for while until do done case esac in function return local export exit' },
  rb: { com: HASH, str: `${DQ}|${SQ}`, kw: 'begin class def do else elsif end ensure false if module next nil not or and rescue return self super then true unless until when while yield require' },
  css: { com: '/\\*.*?(?:\\*/|$)', str: `${DQ}|${SQ}`, kw: 'important', key: '\\s*[\\w-]+(?=\\s*:)' },
  yaml: { com: WORD_HASH, str: `${DQ}|${SQ}`, kw: 'true false null yes no', key: '\\s*(?:-\\s+)?[^\\s#:"\'][^:#]*(?=:(?:\\s|$))' },
  toml: { com: HASH, str: `${DQ}|${SQ}`, kw: 'true false', key: '\\s*(?:\\[.*\\]|[\\w.-]+(?=\\s*=))' },
};

const EXTENSIONS: Record<string, string> = {
  ts: 'js', tsx: 'js', js: 'js', jsx: 'js', mjs: 'js', cjs: 'js', mts: 'js', cts: 'js', json: 'json', jsonc: 'json',
  py: 'py', go: 'go', rs: 'rs', java: 'c', c: 'c', h: 'c', cc: 'c', cpp: 'c', hpp: 'c', cs: 'c', kt: 'c', swift: 'c',
  sh: 'sh', bash: 'sh', zsh: 'sh', css: 'css', scss: 'css', yml: 'yaml', yaml: 'yaml', toml: 'toml', rb: 'rb',
  html: 'markup', htm: 'markup', xml: 'markup', svg: 'markup', vue: 'markup', md: 'md', markdown: 'md',
};

// Markup and Markdown are not code: tags and headings stand out, text stays plain.
const MARKUP: Language = { pattern: /(?<com><!--.*?(?:-->|$))|(?<kw><\/?[\w:.-]+|\/?>)|(?<str>"[^"]*"|'[^']*')/g, keywords: new Set(), starLines: false };
const MARKDOWN: Language = { pattern: /(?<kw>^#{1,6}\s.*)|(?<str>`[^`]*`)/g, keywords: new Set(), starLines: false };

const compiled = new Map<string, Language>();

/** The language for a file by its extension (or a Makefile/Dockerfile name); null: show it plain. */
export function languageFor(path: string): Language | null {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const id = /^(makefile|dockerfile)$/.test(name) ? 'sh' : EXTENSIONS[name.slice(name.lastIndexOf('.') + 1)];
  if (id === 'markup') return MARKUP;
  if (id === 'md') return MARKDOWN;
  const spec = id === undefined ? undefined : SPECS[id];
  if (!spec || !id) return null;
  let language = compiled.get(id);
  if (!language) {
    const key = spec.key ? `(?<key>^${spec.key})|` : '';
    const pattern = new RegExp(`${key}(?<com>${spec.com})|(?<str>${spec.str})|${NUM}|${ID}`, 'g');
    language = { pattern, keywords: new Set(spec.kw.split(' ')), starLines: spec.com.startsWith('//') };
    compiled.set(id, language);
  }
  return language;
}

/** One line's tokens, in order, together exactly the line; neighbouring tokens of one kind are merged. */
export function highlightLine(line: string, language: Language | null): Token[] {
  if (line === '') return [];
  if (!language || line.length > MAX_LENGTH) return [{ text: line, kind: 'plain' }];
  if (language.starLines && /^\s*\*(?:\s|\/|$)/.test(line)) return [{ text: line, kind: 'com' }];
  const tokens: Token[] = [];
  const push = (text: string, kind: TokenKind): void => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === kind) last.text += text;
    else if (text !== '') tokens.push({ text, kind });
  };
  let at = 0;
  for (const match of line.matchAll(language.pattern)) {
    const groups = match.groups ?? {};
    push(line.slice(at, match.index), 'plain');
    const text = match[0];
    const kind: TokenKind = groups.key !== undefined || groups.kw !== undefined ? 'kw'
      : groups.com !== undefined ? 'com'
      : groups.str !== undefined ? 'str'
      : groups.num !== undefined ? 'num'
      : language.keywords.has(text) ? 'kw' : 'plain';
    push(text, kind);
    at = match.index + text.length;
  }
  push(line.slice(at), 'plain');
  return tokens;
}
