// Reads a unified patch (git diff's text) into files, hunks and numbered lines for the review view.
// The patch comes from whatever the agent wrote, so this never throws: a line it cannot place is kept as meta.

export type LineKind = 'add' | 'del' | 'context' | 'meta';

export interface PatchLine {
  kind: LineKind;
  /** The line without its `+`/`-`/space prefix; a meta line (`\ No newline at end of file`) in full. */
  text: string;
  /** 1-based line number in the old file; null for additions and meta lines. */
  oldLine: number | null;
  /** 1-based line number in the new file; null for deletions and meta lines. */
  newLine: number | null;
}

export interface PatchHunk {
  /** The whole `@@ -a,b +c,d @@ section` line. */
  header: string;
  oldStart: number;
  newStart: number;
  lines: PatchLine[];
}

export type PatchStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface PatchFile {
  /** Null for an added file, or for text before the first `diff --git` line. */
  oldPath: string | null;
  /** Null for a deleted file, or for text before the first `diff --git` line. */
  newPath: string | null;
  status: PatchStatus;
  binary: boolean;
  /** The lines between `diff --git` and the first hunk (`index …`, `new file mode …`), plus any it could not place. */
  headers: string[];
  hunks: PatchHunk[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Splits on `diff --git`; within a hunk, its `-a,b +c,d` counts say which `+`/`-`/space lines belong to it. */
export function parsePatch(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  let file: PatchFile | null = null;
  let hunk: PatchHunk | null = null;
  let oldLine = 0;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  const lines = patch.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();

  for (const line of lines) {
    if (hunk && (oldLeft > 0 || newLeft > 0)) {
      const sign = line[0];
      // Some tools strip the space from an empty context line; git never writes one, so an empty line is one.
      if ((sign === ' ' || line === '') && oldLeft > 0 && newLeft > 0) {
        hunk.lines.push({ kind: 'context', text: line.slice(1), oldLine: oldLine++, newLine: newLine++ });
        oldLeft--;
        newLeft--;
        continue;
      }
      if (sign === '-' && oldLeft > 0) {
        hunk.lines.push({ kind: 'del', text: line.slice(1), oldLine: oldLine++, newLine: null });
        oldLeft--;
        continue;
      }
      if (sign === '+' && newLeft > 0) {
        hunk.lines.push({ kind: 'add', text: line.slice(1), oldLine: null, newLine: newLine++ });
        newLeft--;
        continue;
      }
    }
    // A plain `diff -u` of several files has no `diff --git` lines: a `---` after a hunk starts the next file.
    if (line.startsWith('diff --git ') || (hunk && line.startsWith('--- '))) {
      file = line[0] === 'd' ? newFile(line.slice(11)) : emptyFile();
      files.push(file);
      hunk = null;
      if (line[0] === '-') readHeader(file, line);
      continue;
    }
    const range = HUNK.exec(line);
    if (range) {
      if (!file) files.push((file = emptyFile()));
      oldLine = Number(range[1]);
      oldLeft = Number(range[2] ?? 1);
      newLine = Number(range[3]);
      newLeft = Number(range[4] ?? 1);
      hunk = { header: line, oldStart: oldLine, newStart: newLine, lines: [] };
      file.hunks.push(hunk);
      continue;
    }
    // `\ No newline at end of file`, or anything else after a hunk's counts ran out.
    if (hunk) {
      hunk.lines.push({ kind: 'meta', text: line, oldLine: null, newLine: null });
      continue;
    }
    if (!file) files.push((file = emptyFile()));
    readHeader(file, line);
  }
  return files.filter((f) => f.oldPath !== null || f.newPath !== null || f.headers.some((h) => h.trim() !== '') || f.hunks.length > 0);
}

function emptyFile(): PatchFile {
  return { oldPath: null, newPath: null, status: 'modified', binary: false, headers: [], hunks: [] };
}

/** The `diff --git` line gives first guesses at the paths; `---`/`+++` and `rename from/to` settle them. */
function newFile(rest: string): PatchFile {
  const file = emptyFile();
  const [oldPath, newPath] = gitLinePaths(rest);
  file.oldPath = oldPath;
  file.newPath = newPath;
  return file;
}

function readHeader(file: PatchFile, line: string): void {
  file.headers.push(line);
  const [, key = '', value = ''] = /^(new file|deleted file|rename from|rename to|copy from|copy to|---|\+\+\+|Binary files|GIT binary patch)(?: |$)(.*)/.exec(line) ?? [];
  if (key === 'new file') file.status = 'added';
  else if (key === 'deleted file') file.status = 'deleted';
  else if (key === 'rename from' || key === 'copy from') {
    file.oldPath = unquote(value);
    file.status = key === 'copy from' ? 'added' : 'renamed';
  } else if (key === 'rename to' || key === 'copy to') file.newPath = unquote(value);
  else if (key === '---' || key === '+++') {
    const path = headerPath(value);
    if (key === '---') file.oldPath = path;
    else file.newPath = path;
    if (path === null) file.status = key === '---' ? 'added' : 'deleted';
  } else if (key !== '') file.binary = true;
  if (file.status === 'added') file.oldPath = null;
  if (file.status === 'deleted') file.newPath = null;
}

/** `a/src/x.ts`, `"b/caf\303\251"`, `/dev/null`; git ends an unquoted name holding a space with a tab. */
function headerPath(text: string): string | null {
  const raw = text.startsWith('"') ? text : text.split('\t')[0]!;
  if (raw === '/dev/null') return null;
  return stripPrefix(unquote(raw));
}

/**
 * `a/x b/x`: unquoted names may hold spaces, so a line with two equal halves is read as one name twice,
 * otherwise it is cut at ` b/`. Only a guess: the header lines after it, when present, have the exact names.
 */
function gitLinePaths(rest: string): [string, string] {
  if (rest.startsWith('"')) {
    const close = closingQuote(rest);
    const second = close === -1 ? rest : rest.slice(close + 1).trimStart();
    return [stripPrefix(unquote(rest)), stripPrefix(unquote(second))];
  }
  const quoted = rest.indexOf(' "');
  if (quoted !== -1) return [stripPrefix(rest.slice(0, quoted)), stripPrefix(unquote(rest.slice(quoted + 1)))];
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ' && rest.slice(2, half) === rest.slice(half + 3)) {
    const path = stripPrefix(rest.slice(0, half));
    return [path, path];
  }
  const cut = rest.indexOf(' b/');
  if (cut === -1) return [rest, rest];
  return [stripPrefix(rest.slice(0, cut)), stripPrefix(rest.slice(cut + 1))];
}

/** git's default `a/`/`b/`, or a `diff.mnemonicPrefix` letter (`c/`, `i/`, `w/`, `o/`). */
function stripPrefix(path: string): string {
  return /^[a-z]\//.test(path) ? path.slice(2) : path;
}

/** Index of the quote closing a C-style quoted string that starts at 0; -1 when it is never closed. */
function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** git quotes a name with unusual bytes C-style, non-ASCII as octal UTF-8 bytes: `"caf\303\251"`. */
export function unquote(text: string): string {
  if (!text.startsWith('"')) return text;
  const close = closingQuote(text);
  const body = text.slice(1, close === -1 ? undefined : close);
  // Octal escapes are single bytes of a UTF-8 sequence, so everything is gathered as bytes and decoded once.
  const bytes: number[] = [];
  for (const [piece, escaped] of body.matchAll(/\\([0-7]{3}|[^])|[^\\]+|\\$/g)) {
    if (escaped === undefined) bytes.push(...(piece === '\\' ? [] : encoder.encode(piece)));
    else if (escaped.length === 3) bytes.push(parseInt(escaped, 8) & 255);
    else bytes.push(...(ESCAPES[escaped] === undefined ? encoder.encode(escaped) : [ESCAPES[escaped]]));
  }
  return decoder.decode(new Uint8Array(bytes));
}
