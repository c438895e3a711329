// The line colourer: which file gets which language, and the tokens a reader sees for typical lines.
import { describe, expect, it } from 'vitest';
import { highlightLine, languageFor, type Token } from './highlight.js';

/** Tokens as `kind:text` strings, plain text left out, so each case reads as what gets coloured. */
const coloured = (line: string, path: string): string[] =>
  highlightLine(line, languageFor(path))
    .filter((t) => t.kind !== 'plain')
    .map((t) => `${t.kind}:${t.text}`);

describe('languageFor', () => {
  it('picks a language by extension, case-insensitively, and for Makefile and Dockerfile', () => {
    for (const path of ['src/a.ts', 'A.TSX', 'x.py', 'main.go', 'lib.rs', 'Main.java', 'x.h', 'run.sh', 's.css', 'i.html', 'README.md', 'c.yaml', 'Cargo.toml', 'g.rb', 'p.json', 'Makefile', 'docker/Dockerfile']) {
      expect(languageFor(path), path).not.toBeNull();
    }
  });

  it('gives no language to unknown or extensionless files', () => {
    expect(languageFor('LICENSE')).toBeNull();
    expect(languageFor('data.bin')).toBeNull();
    expect(languageFor('dir.ts/')).toBeNull();
  });
});

describe('highlightLine', () => {
  it('returns tokens that put together give back the line exactly', () => {
    const lines = ['  const x = "a\\"b" + `t` // note', 'def f(x): return 0x1F # c', 'weird \u0000 \t "open', ''];
    for (const line of lines) {
      for (const path of ['a.ts', 'a.py', 'a.yaml', 'a.html', 'a.md', 'a.unknown']) {
        expect(highlightLine(line, languageFor(path)).map((t) => t.text).join('')).toBe(line);
      }
    }
  });

  it('colours keywords, strings, numbers and a trailing comment in TypeScript', () => {
    expect(coloured('export const limit = 42; // bytes', 'a.ts')).toEqual(['kw:export', 'kw:const', 'num:42', 'com:// bytes']);
    expect(coloured("import { x } from './x.js';", 'a.tsx')).toEqual(['kw:import', 'kw:from', "str:'./x.js'"]);
  });

  it('leaves identifiers that merely contain a keyword plain', () => {
    expect(coloured('const iffy = format(constant);', 'a.ts')).toEqual(['kw:const']);
  });

  it('does not read a comment marker inside a string as a comment', () => {
    expect(coloured('url = "http://example.com" # real', 'x.py')).toEqual(['str:"http://example.com"', 'com:# real']);
  });

  it('runs an unclosed double-quoted string to the end of the line but treats a lone quote as an apostrophe', () => {
    expect(coloured('s := `first line', 'a.go')).toEqual(['str:`first line']);
    expect(coloured("fn f<'a>(x: &'a str) -> bool { true }", 'a.rs')).toEqual(['kw:fn', 'kw:true']);
  });

  it('colours a C-style comment continuation line as a comment', () => {
    expect(highlightLine(' * @param name the name', languageFor('a.java'))).toEqual([{ kind: 'com', text: ' * @param name the name' } satisfies Token]);
    expect(coloured('  *ptr = 1;', 'a.c')).toEqual(['num:1']);
  });

  it('colours a block comment that closes on its line, and one that does not', () => {
    expect(coloured('a /* b */ return', 'a.c')).toEqual(['com:/* b */', 'kw:return']);
    expect(coloured('x; /* starts here', 'a.c')).toEqual(['com:/* starts here']);
  });

  it('takes `#` as a shell comment only at a word start', () => {
    expect(coloured('echo ${#args} $# # count', 'run.sh')).toEqual(['com: # count']);
  });

  it('colours YAML and TOML keys and CSS properties as keywords', () => {
    expect(coloured('  - name: "build" # ci', 'ci.yml')).toEqual(['kw:  - name', 'str:"build"', 'com: # ci']);
    expect(coloured('[package]', 'Cargo.toml')).toEqual(['kw:[package]']);
    expect(coloured('version = "1.0"', 'Cargo.toml')).toEqual(['kw:version', 'str:"1.0"']);
    expect(coloured('  margin: 0 4px !important;', 'a.css')).toEqual(['kw:  margin', 'num:0', 'num:4px', 'kw:important']);
  });

  it('colours markup tags, attribute values and comments, but not words in text', () => {
    expect(coloured('<a href="/x">if else</a> <!-- note -->', 'i.html')).toEqual(['kw:<a', 'str:"/x"', 'kw:>', 'kw:</a>', 'com:<!-- note -->']);
  });

  it('colours Markdown headings and code spans only', () => {
    expect(coloured('## Install `vibe` if you can', 'README.md')).toEqual(['kw:## Install `vibe` if you can']);
    expect(coloured("Run `npm i`, it's quick", 'README.md')).toEqual(['str:`npm i`']);
  });

  it('leaves a very long line plain, it is likely minified', () => {
    const line = 'const a = 1;'.repeat(200);
    expect(highlightLine(line, languageFor('bundle.js'))).toEqual([{ kind: 'plain', text: line }]);
  });
});
