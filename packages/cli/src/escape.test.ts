// escapeText: control characters in stored or typed text become visible instead of driving the terminal.
import { describe, expect, it } from 'vitest';
import { escapeText } from './escape.js';

describe('escapeText', () => {
  it('leaves ordinary text alone', () => {
    expect(escapeText('Fix the flaky login test')).toBe('Fix the flaky login test');
  });

  it('turns an OSC 52 clipboard write into visible text', () => {
    const osc52 = '\x1b]52;c;ZWNobyBoaQ==\x07';
    expect(escapeText(`title${osc52}`)).toBe('title\\x1b]52;c;ZWNobyBoaQ==\\x07');
  });

  it('turns cursor moves and screen clears into visible text', () => {
    expect(escapeText('a\x1b[2J\x1b[H\x1b[1Ab')).toBe('a\\x1b[2J\\x1b[H\\x1b[1Ab');
  });

  it('escapes the 8-bit C1 controls, including CSI and OSC', () => {
    expect(escapeText('\u009b31m\u009d0;pwned\u009c')).toBe('\\u009b31m\\u009d0;pwned\\u009c');
    expect(escapeText('\u0080\u0085\u009f')).toBe('\\u0080\\u0085\\u009f');
  });

  it('shows NUL as \\0 and DEL as \\x7f', () => {
    expect(escapeText('a\0b\x7fc')).toBe('a\\0b\\x7fc');
  });

  it('escapes newlines, tabs and carriage returns in single-line text', () => {
    expect(escapeText('one\ntwo\tthree\rfour')).toBe('one\\ntwo\\tthree\\rfour');
  });

  it('escapes every C0 control', () => {
    for (let code = 0; code < 0x20; code++) {
      const escaped = escapeText(String.fromCharCode(code));
      expect(escaped.startsWith('\\')).toBe(true);
      expect(escaped).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('escapes bidi overrides and isolates', () => {
    expect(escapeText('abc\u202edcba')).toBe('abc\\u202edcba');
    expect(escapeText('\u202a\u202b\u202c\u202d')).toBe('\\u202a\\u202b\\u202c\\u202d');
    expect(escapeText('\u2066x\u2067y\u2068z\u2069')).toBe('\\u2066x\\u2067y\\u2068z\\u2069');
  });

  it('keeps shell metacharacters as plain text: they are harmless on a terminal', () => {
    expect(escapeText('run $(rm -rf ~) and `id`')).toBe('run $(rm -rf ~) and `id`');
  });

  it('keeps emoji, combining marks and CJK as they are', () => {
    const text = 'Add 🌙 dark mode — café, naïve, 日本語のテスト, 👩‍💻, é';
    expect(escapeText(text)).toBe(text);
  });

  it('keeps line feeds and tabs in multi-line bodies but still escapes other controls', () => {
    expect(escapeText('line one\n\tindented\x1b[31m red', { multiline: true })).toBe('line one\n\tindented\\x1b[31m red');
  });

  it('turns CRLF into LF in multi-line bodies and escapes a lone CR', () => {
    expect(escapeText('a\r\nb\rc', { multiline: true })).toBe('a\nb\\rc');
  });

  it('escapes NUL and bidi controls in multi-line bodies too', () => {
    expect(escapeText('a\0\u202eb\n', { multiline: true })).toBe('a\\0\\u202eb\n');
  });

  it('produces output with no terminal-interpreted characters for any input', () => {
    let all = '';
    for (let code = 0; code < 0x3000; code++) all += String.fromCharCode(code);
    expect(escapeText(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(escapeText(all, { multiline: true })).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});
