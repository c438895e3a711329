// The pager: $PAGER or less -FRX, only for a terminal and text taller than it, plain output if it cannot start.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsPager, page, pagerCommand } from './pager.js';

const tall = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') + '\n';

function target(isTTY: boolean, rows = 24): { isTTY: boolean; rows: number; written: string; write(text: string): void } {
  return {
    isTTY,
    rows,
    written: '',
    write(text) {
      this.written += text;
    },
  };
}

describe('pagerCommand', () => {
  it('defaults to less -FRX and splits $PAGER on whitespace', () => {
    expect(pagerCommand({})).toEqual(['less', '-FRX']);
    expect(pagerCommand({ PAGER: '  ' })).toEqual(['less', '-FRX']);
    expect(pagerCommand({ PAGER: 'most' })).toEqual(['most']);
    expect(pagerCommand({ PAGER: 'less  -R\t-S' })).toEqual(['less', '-R', '-S']);
  });
});

describe('needsPager', () => {
  it('pages only on a terminal, and only text taller than it', () => {
    expect(needsPager(tall, target(true))).toBe(true);
    expect(needsPager(tall, target(false))).toBe(false);
    expect(needsPager('one\ntwo\n', target(true))).toBe(false);
    expect(needsPager(tall, target(true, 100))).toBe(false);
  });
});

describe('page', () => {
  it('writes short text straight out', async () => {
    const out = target(true);
    await page('short\n', out, { PAGER: 'no-such-pager-anywhere' });
    expect(out.written).toBe('short\n');
  });

  it('falls back to plain output when the pager cannot start', async () => {
    const out = target(true);
    await page(tall, out, { PAGER: 'no-such-pager-anywhere -X' });
    expect(out.written).toBe(tall);
  });

  it('hands the text to the pager, with its arguments, when it is taller than the terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibe-pager-'));
    try {
      const out = target(true);
      await page(tall, out, { PATH: process.env.PATH, PAGER: `dd of=${join(dir, 'paged')} status=none` });
      expect(out.written).toBe('');
      expect(readFileSync(join(dir, 'paged'), 'utf8')).toBe(tall);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
