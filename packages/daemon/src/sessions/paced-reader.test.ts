// The paced reader against a stand-in source and clock: a trickle is delivered at once with no pause, a
// flood is read in paced batches, and chunks read together arrive as one delivery; plus a real pty flood.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PACE_MS, FULL_READ_BYTES, PacedReader } from './paced-reader.js';
import { nodePtySpawner } from './processes.js';

function harness(options: { paceMs?: number; floodGapMs?: number; floodBytes?: number; holdFullReads?: boolean } = {}) {
  let clock = 0;
  const events: string[] = [];
  const delivered: string[] = [];
  const reader = new PacedReader(
    { pause: () => events.push(`pause@${clock}`), resume: () => events.push(`resume@${clock}`) },
    (bytes) => delivered.push(Buffer.from(bytes).toString()),
    { ...options, now: () => clock },
  );
  return {
    reader,
    events,
    delivered,
    at: (ms: number) => (clock = ms),
    chunk: (text: string) => reader.push(Buffer.from(text)),
  };
}

const microtasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('PacedReader', () => {
  it('delivers chunks that come after a quiet spell at once and never pauses for them', async () => {
    const h = harness();
    h.at(100);
    h.chunk('a');
    await microtasks();
    h.at(400);
    h.chunk('b');
    await microtasks();
    expect(h.delivered).toEqual(['a', 'b']);
    expect(h.events).toEqual([]);
  });

  it('never pauses for echoes of keys typed back to back: quick, but a few bytes each', async () => {
    const h = harness();
    for (let i = 0; i < 200; i++) {
      h.at(i * 0.2);
      h.chunk('x');
      await microtasks();
    }
    expect(h.delivered).toHaveLength(200);
    expect(h.events).toEqual([]);
  });

  it('joins the chunks read in one turn of the event loop into one delivery', async () => {
    const h = harness();
    h.chunk('one ');
    h.chunk('two ');
    h.chunk('three');
    await microtasks();
    expect(h.delivered).toEqual(['one two three']);
  });

  it('pauses reading for the pace when a chunk follows the last delivery within the flood gap with a flood\'s bytes, and resumes after it', async () => {
    const h = harness({ paceMs: 20, floodGapMs: 1, floodBytes: 8 });
    h.at(10);
    h.chunk('first');
    await microtasks();
    h.at(10.5);
    h.chunk('second');
    await microtasks();
    expect(h.delivered).toEqual(['first', 'second']);
    expect(h.events).toEqual(['pause@10.5']);
    h.at(31);
    await sleep(40);
    expect(h.events).toEqual(['pause@10.5', 'resume@31']);
    // What the kernel held meanwhile comes right after the resume: a flood's batch on its own, so another pause.
    h.chunk('held batch');
    await microtasks();
    expect(h.events).toEqual(['pause@10.5', 'resume@31', 'pause@31']);
    await sleep(40);
  });

  it('keeps reading after a full read in a flood — pausing would throttle the program — and delivers what it read once, when the pace ends', async () => {
    const h = harness({ paceMs: 20, floodGapMs: 1, floodBytes: 8, holdFullReads: true });
    const full = 'x'.repeat(FULL_READ_BYTES);
    h.at(10);
    h.chunk('first');
    await microtasks();
    h.at(10.5);
    h.chunk(full);
    await microtasks();
    for (const piece of ['a', 'b', 'c']) {
      h.chunk(piece);
      await microtasks();
    }
    expect(h.delivered).toEqual(['first', full]);
    await sleep(40);
    expect(h.delivered).toEqual(['first', full, 'abc']);
    // The reading never stopped; a small batch at the end of the pace ends the holding too.
    expect(h.events).toEqual([]);
    h.at(100);
    h.chunk('after');
    await microtasks();
    expect(h.delivered.at(-1)).toBe('after');
  });

  it('holds pace after pace while the program keeps filling them, and delivers the last words when disposed', async () => {
    const h = harness({ paceMs: 10, floodGapMs: 1, floodBytes: 8, holdFullReads: true });
    const full = 'y'.repeat(FULL_READ_BYTES);
    h.at(0);
    h.chunk('go');
    await microtasks();
    h.at(0.5);
    h.chunk(full);
    await microtasks();
    h.chunk(full);
    await sleep(15);
    // The second pace held a full read again, so the third holds too: 'z' waits for its end.
    expect(h.delivered).toEqual(['go', full, full]);
    h.chunk('z');
    await microtasks();
    expect(h.delivered).toHaveLength(3);
    await sleep(15);
    expect(h.delivered).toEqual(['go', full, full, 'z']);
    h.at(50);
    h.chunk('again');
    await microtasks();
    h.at(50.5);
    h.chunk(full);
    await microtasks();
    h.chunk('last words');
    await microtasks();
    h.reader.dispose();
    expect(h.delivered.slice(4)).toEqual(['again', full, 'last words']);
    expect(h.events.filter((event) => event.startsWith('pause'))).toEqual([]);
  });

  it('pauses after a full read too unless asked to hold (tmux\'s attach client)', async () => {
    const h = harness({ paceMs: 20, floodGapMs: 1, floodBytes: 8 });
    h.at(10);
    h.chunk('first');
    await microtasks();
    h.at(10.5);
    h.chunk('x'.repeat(FULL_READ_BYTES));
    await microtasks();
    expect(h.events).toEqual(['pause@10.5']);
    await sleep(40);
  });

  it('does not pause after a delivery that took the whole pace (many viewers): the next read is due already', async () => {
    let clock = 0;
    const events: string[] = [];
    const reader = new PacedReader(
      { pause: () => events.push('pause'), resume: () => events.push('resume') },
      () => (clock += 25),
      { paceMs: 20, floodGapMs: 100, floodBytes: 1, now: () => clock },
    );
    for (let i = 0; i < 3; i++) {
      reader.push(Buffer.from('line\n'));
      await microtasks();
    }
    expect(events).toEqual([]);
  });

  it('delivers what it holds when disposed, then nothing more, and leaves the source reading', async () => {
    const h = harness({ paceMs: 1000, floodBytes: 1 });
    h.at(1);
    h.chunk('x');
    await microtasks();
    h.chunk('y');
    await microtasks();
    expect(h.events).toEqual(['pause@1']);
    h.chunk('last words');
    h.reader.dispose();
    h.chunk('z');
    await microtasks();
    expect(h.delivered).toEqual(['x', 'y', 'last words']);
    expect(h.events).toEqual(['pause@1', 'resume@1']);
  });

  it('reads a real pty flood of large writes completely, in about one delivery per pace', async () => {
    // `cat` of 8 MiB: the kernel fills a paused reader's buffer within a pace, so this is the holding path.
    const bytes = 8 * 1024 * 1024;
    const script = `head -c ${bytes} /dev/zero | tr '\\0' x; sleep 0.2`;
    const pty = nodePtySpawner('sh', ['-c', script], { cwd: '/', env: { PATH: process.env.PATH ?? '' }, cols: 80, rows: 24, term: 'xterm', holdFullReads: true });
    const chunks: Buffer[] = [];
    let received = 0;
    pty.onData((data) => {
      chunks.push(Buffer.from(data));
      received += data.length;
    });
    const exited = new Promise<void>((resolve) => pty.onExit(() => resolve()));
    const started = performance.now();
    const deadline = Date.now() + 20_000;
    while (received < bytes && Date.now() < deadline) await sleep(10);
    const elapsed = performance.now() - started;
    expect(received).toBe(bytes);
    expect(Buffer.concat(chunks).every((byte) => byte === 0x78)).toBe(true);
    expect(chunks.length).toBeLessThanOrEqual(elapsed / DEFAULT_PACE_MS + 10);
    await exited;
  }, 30_000);

  it('reads a real pty flood of one write per line completely, in one read per pace, and an echo after it at once', async () => {
    // Each echo is its own write(2), as a terminal multiplexer's redraws are: read eagerly, ~1,500 chunks.
    const lines = 20_000;
    const script = `i=0; while [ $i -lt ${lines} ]; do i=$((i+1)); echo $i; done; read answer; echo "got $answer"; sleep 0.2`;
    const pty = nodePtySpawner('sh', ['-c', script], { cwd: '/', env: { PATH: process.env.PATH ?? '' }, cols: 80, rows: 24, term: 'xterm' });
    const chunks: Buffer[] = [];
    pty.onData((bytes) => chunks.push(Buffer.from(bytes)));
    const exited = new Promise<void>((resolve) => pty.onExit(() => resolve()));
    const started = performance.now();
    const deadline = Date.now() + 10_000;
    while (!Buffer.concat(chunks).includes(`${lines}\r\n`) && Date.now() < deadline) await sleep(10);
    const elapsed = performance.now() - started;
    const flood = Buffer.concat(chunks).toString();
    const numbers = flood.split('\r\n').filter((line) => /^\d+$/.test(line)).map(Number);
    expect(numbers).toEqual(Array.from({ length: lines }, (_, i) => i + 1));
    // At most one read per pace while it floods (2 ms), where an eager reader wakes for nearly every line.
    expect(chunks.length).toBeLessThanOrEqual(elapsed / DEFAULT_PACE_MS + 10);
    const before = chunks.length;
    pty.write('yes\r');
    while (!Buffer.concat(chunks).includes('got yes') && Date.now() < deadline) await sleep(5);
    expect(Buffer.concat(chunks.slice(before)).toString()).toContain('got yes');
    await exited;
  });
});
