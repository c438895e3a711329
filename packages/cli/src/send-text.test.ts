// `vibe send` arguments and text: which positional is what, stdin, limits.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SEND_MAX, sendArguments, sendText } from './send-text.js';

describe('sendArguments', () => {
  it('takes an id and the text', () => {
    expect(sendArguments('3', 'yes', {})).toEqual({ id: '3', text: 'yes' });
  });

  it('takes only the text with --session', () => {
    expect(sendArguments('yes', undefined, { session: '4' })).toEqual({ id: undefined, text: 'yes' });
    expect(() => sendArguments('3', 'yes', { session: '4' })).toThrow('with --session, give only the text');
  });

  it('allows no text only with --enter', () => {
    expect(sendArguments('3', undefined, { enter: true })).toEqual({ id: '3', text: undefined });
    expect(() => sendArguments('3', undefined, {})).toThrow('nothing to send');
  });
});

describe('sendText', () => {
  it('types the argument exactly, control characters and shell syntax included', async () => {
    expect(await sendText('$(rm -rf /) \x03\n')).toBe('$(rm -rf /) \x03\n');
  });

  it('reads "-" from stdin and drops one trailing newline', async () => {
    expect(await sendText('-', Readable.from([Buffer.from('line one\nline two\n\n')]))).toBe('line one\nline two\n');
    expect(await sendText('-', Readable.from([Buffer.from('crlf\r\n')]))).toBe('crlf');
  });

  it('sends nothing for no text (with --enter)', async () => {
    expect(await sendText(undefined)).toBe('');
  });

  it('refuses text over the limit, from the argument or stdin', async () => {
    await expect(sendText('x'.repeat(SEND_MAX + 1))).rejects.toThrow(`longer than ${SEND_MAX} characters`);
    await expect(sendText('-', Readable.from([Buffer.alloc(SEND_MAX * 5, 0x61)]))).rejects.toThrow('longer than');
    expect(await sendText('😀'.repeat(SEND_MAX))).toHaveLength(SEND_MAX * 2);
  });
});
