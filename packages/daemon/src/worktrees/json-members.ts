// Cuts members out of a JSON object's text by key and keeps every other byte, so a file another program owns
// reads as it did, formatting and comments included. Comments (`//`, `/* */`) are allowed, as Gemini CLI
// allows them in trustedFolders.json.
import { isDeepStrictEqual } from 'node:util';

interface Member {
  key: string;
  /** Where the line of the `{` or `,` before it ends: what follows, up to its key, is its own. */
  lead: number;
  /** Just after its value. */
  end: number;
  /** The comma after it, or -1 for the last member. */
  comma: number;
}

/**
 * `text` without the top-level members whose key `drop` picks, or the same text when none is picked.
 * Undefined when `text` is not one JSON object: then it is not ours to rewrite.
 */
export function withoutMembers(text: string, drop: (key: string) => boolean): string | undefined {
  const before = parseObject(text);
  if (before === undefined) return undefined;
  let result = text;
  for (;;) {
    const blank = blankComments(result);
    const members = topLevelMembers(blank);
    const index = members.findIndex((member) => drop(member.key));
    if (index === -1) break;
    // Later spans first, so earlier offsets still hold.
    for (const [start, end] of cutSpans(result, blank, members, index).reverse()) result = result.slice(0, start) + result.slice(end);
  }
  // The cut must leave exactly the object without those keys; anything else means the scan misread the text.
  const expected = Object.fromEntries(Object.entries(before).filter(([key]) => !drop(key)));
  return isDeepStrictEqual(parseObject(result), expected) ? result : undefined;
}

/**
 * The spans that go with member `index`, in order: the member with a comment on its own line's end, and one
 * comma, so the object's commas stay right and every other member keeps its comments.
 */
function cutSpans(text: string, blank: string, members: readonly Member[], index: number): Array<[number, number]> {
  const member = members[index]!;
  if (index < members.length - 1) return [[member.lead, members[index + 1]!.lead]];
  const end = lineEnd(blank, member.end);
  if (index === 0) return [[member.lead, end]];
  const comma = members[index - 1]!.comma;
  // A comment after the comma belongs to the member before it.
  const commented = text.slice(comma + 1, member.lead) !== blank.slice(comma + 1, member.lead);
  return commented
    ? [
        [comma, comma + 1],
        [member.lead, end],
      ]
    : [[comma, end]];
}

/** Past the spaces (and so the blanked comments) after `from`, up to the end of its line. */
function lineEnd(blank: string, from: number): number {
  let i = from;
  while (blank[i] === ' ' || blank[i] === '\t') i += 1;
  return i;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(blankComments(text));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Comments turned into spaces (newlines kept), so offsets in the result are offsets in `text`. */
function blankComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
      out += ' '.repeat(end - i);
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close === -1 ? text.length : close + 2;
      out += text.slice(i, end).replace(/[^\n]/g, ' ');
      i = end;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Just after the string that opens at `start` (unterminated: the end of the text). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** The top-level members of a comment-free object text that JSON.parse accepts. */
function topLevelMembers(text: string): Member[] {
  const members: Member[] = [];
  let depth = 0;
  let lead = -1;
  let current: Member | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      if (depth === 1 && current === undefined) current = { key: JSON.parse(text.slice(i, end)) as string, lead, end: -1, comma: -1 };
      else if (depth === 1 && current) current.end = end;
      i = end - 1;
    } else if (c === '{' || c === '[') {
      depth += 1;
      if (depth === 1) lead = lineEnd(text, i + 1);
    } else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth === 1 && current) current.end = i + 1;
      if (depth === 0 && current) members.push(current);
    } else if (depth === 1 && c === ',') {
      current!.comma = i;
      members.push(current!);
      current = undefined;
      lead = lineEnd(text, i + 1);
    } else if (depth === 1 && current && c !== ':' && !/\s/.test(c)) {
      // A number, true, false or null: its last character ends the value.
      current.end = i + 1;
    }
  }
  return members;
}
