// Keeps docs/protocol.md honest: every error code, method, event, status move and version it must describe.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../errors.js';
import { encodeControl, encodeFrame, FrameKind } from '../frame.js';
import { LIMITS } from '../limits.js';
import { EVENT_NAMES } from '../messages/events.js';
import { METHODS } from '../methods.js';
import { TASK_STATUSES, TASK_TRANSITIONS } from '../task-status.js';
import { CAPABILITIES, PROTOCOL_VERSION } from '../version.js';

const doc = readFileSync(new URL('../../../../docs/protocol.md', import.meta.url), 'utf8');
const UPDATE = 'docs/protocol.md is behind the code: update it';

/** The first cell of every table row, without its backticks. */
const firstCells = [...doc.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);

describe('docs/protocol.md', () => {
  it('describes every error code with the text of ERROR_CODES', () => {
    for (const [code, description] of Object.entries(ERROR_CODES)) {
      expect(doc, `${UPDATE}: error code ${code}`).toContain(`| \`${code}\` | ${description} |`);
    }
  });

  it('lists every method in the method table', () => {
    for (const method of Object.keys(METHODS)) expect(firstCells, `${UPDATE}: method ${method}`).toContain(method);
  });

  it('lists every event in the event table', () => {
    for (const name of EVENT_NAMES) expect(firstCells, `${UPDATE}: event ${name}`).toContain(name);
  });

  it('documents no method, event or error code that does not exist', () => {
    const known = new Set<string>([...Object.keys(ERROR_CODES), ...Object.keys(METHODS), ...EVENT_NAMES, ...TASK_STATUSES]);
    const dotted = firstCells.filter((cell): cell is string => cell !== undefined && /^[a-z]+\.[a-z]+$/.test(cell));
    for (const cell of dotted) expect(known.has(cell), `docs/protocol.md names unknown ${cell}`).toBe(true);
  });

  it('gives the task transition table of TASK_TRANSITIONS', () => {
    for (const from of TASK_STATUSES) {
      const row = new RegExp(`^\\| \`${from}\` \\| (.*) \\|$`, 'm').exec(doc);
      expect(row, `${UPDATE}: no transition row for ${from}`).not.toBeNull();
      const targets = [...(row?.[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((match) => match[1]);
      expect(targets, `${UPDATE}: moves from ${from}`).toEqual([...TASK_TRANSITIONS[from]]);
    }
  });

  it('names the current version, its capabilities and a Changes entry for it', () => {
    expect(doc).toContain(`protocol **${PROTOCOL_VERSION}**`);
    expect(doc).toMatch(new RegExp(`^### ${PROTOCOL_VERSION.replace('.', '\\.')}$`, 'm'));
    for (const capability of CAPABILITIES) expect(doc, `${UPDATE}: capability ${capability}`).toContain(`\`${capability}\``);
  });

  it('states the size limits of LIMITS', () => {
    const rows: [keyof typeof LIMITS, string][] = [
      ['maxMessageBytes', `${LIMITS.maxMessageBytes.toLocaleString('en-US')} bytes`],
      ['titleMax', `${LIMITS.titleMax} characters`],
      ['descriptionMax', `${LIMITS.descriptionMax.toLocaleString('en-US')} characters`],
      ['projectNameMax', `${LIMITS.projectNameMax} characters`],
      ['agentNameMax', `${LIMITS.agentNameMax} characters`],
      ['pathMax', `${LIMITS.pathMax} characters`],
      ['branchMax', `${LIMITS.branchMax} characters`],
    ];
    for (const [name, text] of rows) {
      expect(doc, `${UPDATE}: ${name}`).toMatch(new RegExp(`^\\|[^\\n]*\`${name}\`[^\\n]*\\|[^|\\n]*\\b${text}`, 'm'));
    }
  });

  it('shows hex frame examples that are exactly what the codec writes', () => {
    const blocks = [...doc.matchAll(/```\n(56 01[^`]*)```/g)].map((match) => match[1] ?? '');
    // Each line's leading run of two-digit hex tokens is frame bytes; what follows is commentary.
    const hex = (block: string): string =>
      block
        .split('\n')
        .map((line) => /^(?:[0-9a-f]{2} +)*(?:[0-9a-f]{2}(?= *$| {2}))?/.exec(line)?.[0] ?? '')
        .join(' ')
        .replace(/\s+/g, '');
    const bytes = (data: Uint8Array): string => Array.from(data, (byte) => byte.toString(16).padStart(2, '0')).join('');
    expect(blocks).toHaveLength(2);
    expect(hex(blocks[0]!)).toBe(bytes(encodeControl({ type: 'request', id: 1, method: 'task.get', params: { number: 3 } })));
    const output = encodeFrame({ kind: FrameKind.Output, session: 7, seq: 2 ** 40 + 5, payload: new TextEncoder().encode('hi') });
    expect(hex(blocks[1]!)).toBe(bytes(output));
  });
});
