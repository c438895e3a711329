// Cutting members out of a JSON object's text: the rest of the bytes stay as they were, commas stay right,
// comments are skipped, and text that is not one object is refused.
import { describe, expect, it } from 'vitest';
import { withoutMembers } from './json-members.js';

const drop = (...keys: string[]) => (key: string): boolean => keys.includes(key);
const pretty = (value: unknown): string => JSON.stringify(value, null, 2);

describe('withoutMembers', () => {
  const file = pretty({ '/a': ['x', 'y'], '/b': { n: [1, { c: '}' }] }, '/c': 'TRUST_FOLDER', '/d': -1.5e3 });

  it('cuts a first, middle or last member and leaves the others byte for byte', () => {
    expect(withoutMembers(file, drop('/a'))).toBe(pretty({ '/b': { n: [1, { c: '}' }] }, '/c': 'TRUST_FOLDER', '/d': -1.5e3 }));
    expect(withoutMembers(file, drop('/c'))).toBe(pretty({ '/a': ['x', 'y'], '/b': { n: [1, { c: '}' }] }, '/d': -1.5e3 }));
    expect(withoutMembers(file, drop('/d'))).toBe(pretty({ '/a': ['x', 'y'], '/b': { n: [1, { c: '}' }] }, '/c': 'TRUST_FOLDER' }));
    expect(withoutMembers(file, drop('/a', '/d'))).toBe(pretty({ '/b': { n: [1, { c: '}' }] }, '/c': 'TRUST_FOLDER' }));
  });

  it('leaves an empty object when the only member goes, and the same text when none matches', () => {
    expect(withoutMembers('{"/a": true}', drop('/a'))).toBe('{}');
    expect(withoutMembers(file, drop('/nope'))).toBe(file);
    expect(withoutMembers('{}', drop('/a'))).toBe('{}');
  });

  it('keeps compact and odd spacing as it was', () => {
    expect(withoutMembers('{"/a":1,"/b":2,"/c":3}\n', drop('/b'))).toBe('{"/a":1,"/c":3}\n');
    expect(withoutMembers('{ "/a" : null ,\t"/b" : false }', drop('/a'))).toBe('{ "/b" : false }');
  });

  it('reads keys with escapes as JSON does, and drops every copy of a repeated key', () => {
    expect(withoutMembers('{"/q\\"x": 1, "/u\\u0041": 2, "/k": 3}', drop('/q"x', '/uA'))).toBe('{"/k": 3}');
    expect(withoutMembers('{"/a": 1, "/b": 2, "/a": 3}', drop('/a'))).toBe('{"/b": 2}');
  });

  it('skips comments, keeping those outside the cut member', () => {
    const text = '// trusted\n{\n  "/a": "TRUST_FOLDER", // mine\n  /* "/b": "x", */\n  "/b": "DO_NOT_TRUST" // theirs\n}\n';
    expect(withoutMembers(text, drop('/a'))).toBe('// trusted\n{\n  /* "/b": "x", */\n  "/b": "DO_NOT_TRUST" // theirs\n}\n');
    expect(withoutMembers(text, drop('/b'))).toBe('// trusted\n{\n  "/a": "TRUST_FOLDER" // mine\n}\n');
  });

  it('refuses text that is not one JSON object', () => {
    for (const text of ['', '{', '[]', '"x"', 'null', '{"a": 1,}', '{"a": 1} {"b": 2}', '{"a": 1'] as const) {
      expect(withoutMembers(text, drop('a'))).toBeUndefined();
    }
  });
});
