// Tests for the closed list of error codes and the wire error type.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorCodes, isErrorCode, ProtocolError, type WireError } from './errors.js';

describe('ERROR_CODES', () => {
  it('is the closed list documented in docs/protocol.md (adding a code means documenting it there)', () => {
    expect(Object.keys(ERROR_CODES)).toMatchInlineSnapshot(`
      [
        "malformed",
        "unknown_method",
        "too_large",
        "unsupported_version",
        "handshake_required",
        "invalid_params",
        "not_found",
        "conflict",
        "illegal_transition",
        "project_required",
        "busy",
        "forbidden",
        "shutting_down",
        "internal",
      ]
    `);
  });

  it('gives every code a one-sentence description', () => {
    for (const [code, description] of Object.entries(ERROR_CODES)) {
      expect(description, code).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('exports the codes as a list in the same order', () => {
    expect(errorCodes).toEqual(Object.keys(ERROR_CODES));
  });
});

describe('isErrorCode', () => {
  it('accepts every listed code', () => {
    for (const code of errorCodes) expect(isErrorCode(code), code).toBe(true);
  });

  it.each(['', 'MALFORMED', 'timeout', 'toString', 'constructor', '__proto__', 'hasOwnProperty'])('refuses %j', (code) => {
    expect(isErrorCode(code)).toBe(false);
  });

  it.each([null, undefined, 1, {}, ['malformed']])('refuses the non-string %j', (value) => {
    expect(isErrorCode(value)).toBe(false);
  });
});

describe('ProtocolError', () => {
  it('is an Error named ProtocolError with its code, message and data', () => {
    const error = new ProtocolError('not_found', 'no task #9', { number: 9 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProtocolError');
    expect(error).toMatchObject({ code: 'not_found', message: 'no task #9', data: { number: 9 } });
  });

  it('keeps the original error as cause without putting it on the wire', () => {
    const cause = new Error('SQLITE_BUSY');
    const error = new ProtocolError('busy', 'database locked', undefined, { cause });
    expect(error.cause).toBe(cause);
    expect(JSON.stringify(error)).toBe('{"code":"busy","message":"database locked"}');
  });

  it('serialises to code and message, leaving out absent data', () => {
    const wire = new ProtocolError('conflict', 'duplicate name').toJSON();
    expect(wire).toEqual({ code: 'conflict', message: 'duplicate name' });
    expect(Object.keys(wire)).toEqual(['code', 'message']);
  });

  it('serialises data when present, even when it is falsy', () => {
    expect(new ProtocolError('internal', 'x', null).toJSON()).toEqual({ code: 'internal', message: 'x', data: null });
    expect(new ProtocolError('internal', 'x', 0).toJSON()).toEqual({ code: 'internal', message: 'x', data: 0 });
  });

  it('survives a round trip through JSON text', () => {
    const original = new ProtocolError('invalid_params', 'invalid params: title: too long', { issues: [{ path: 'title', message: 'too long' }] });
    const rebuilt = ProtocolError.fromJSON(JSON.parse(JSON.stringify(original)) as WireError);
    expect(rebuilt).toBeInstanceOf(ProtocolError);
    expect(rebuilt.toJSON()).toEqual(original.toJSON());
  });

  it('turns an unknown code from a newer peer into internal, keeping message and data', () => {
    const rebuilt = ProtocolError.fromJSON({ code: 'quota_exceeded', message: 'too many sessions', data: { max: 4 } } as unknown as WireError);
    expect(rebuilt.toJSON()).toEqual({ code: 'internal', message: 'too many sessions', data: { max: 4 } });
  });
});
