// The pty input writer against a stand-in write(2): a full pty, short writes, order, exit and a lost terminal.
import { describe, expect, it } from 'vitest';
import { PtyWriter } from './pty-writer.js';

/** A pty that takes at most `room` bytes until `read` makes room, failing with EAGAIN when full. */
function fakePty(room: number) {
  const taken: Buffer[] = [];
  let free = room;
  let calls = 0;
  let failWith: string | undefined;
  const write2 = (_fd: number, data: Buffer): number => {
    calls++;
    if (failWith) throw Object.assign(new Error(failWith), { code: failWith });
    if (free === 0) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    const n = Math.min(free, data.length);
    taken.push(Buffer.from(data.subarray(0, n)));
    free -= n;
    return n;
  };
  return {
    write2,
    read: (bytes: number) => (free += bytes),
    text: () => Buffer.concat(taken).toString(),
    calls: () => calls,
    fail: (code: string) => (failWith = code),
  };
}

const settle = (ms = 60): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('PtyWriter', () => {
  it('writes straight through while the pty has room', () => {
    const pty = fakePty(100);
    const writer = new PtyWriter(3, () => true, pty.write2);
    writer.write(Buffer.from('hello '));
    writer.write(Buffer.from('world'));
    expect(pty.text()).toBe('hello world');
    expect(writer.pending).toBe(0);
  });

  it('queues what a full pty refuses, counts it, and delivers it in order once the program reads', async () => {
    const pty = fakePty(4);
    const writer = new PtyWriter(3, () => true, pty.write2);
    writer.write(Buffer.from('abcdef'));
    writer.write(Buffer.from('ghi'));
    expect(pty.text()).toBe('abcd');
    expect(writer.pending).toBe(5);
    pty.read(3);
    await settle();
    expect(pty.text()).toBe('abcdefg');
    expect(writer.pending).toBe(2);
    pty.read(10);
    await settle();
    expect(pty.text()).toBe('abcdefghi');
    expect(writer.pending).toBe(0);
  });

  it('backs off while nothing is read, instead of spinning', async () => {
    const pty = fakePty(0);
    const writer = new PtyWriter(3, () => true, pty.write2);
    writer.write(Buffer.from('x'));
    await settle(300);
    // Delays of 0, 1, 2, 4 … doubling to a second: about ten tries in 300 ms, where a setImmediate loop makes thousands.
    expect(pty.calls()).toBeLessThan(15);
    writer.close();
  });

  it('drops what is queued and never writes again once closed, or once the terminal is gone', async () => {
    const pty = fakePty(0);
    const writer = new PtyWriter(3, () => true, pty.write2);
    writer.write(Buffer.from('queued'));
    writer.close();
    const calls = pty.calls();
    writer.write(Buffer.from('more'));
    await settle();
    expect(pty.calls()).toBe(calls);
    expect(writer.pending).toBe(0);

    const gone = fakePty(0);
    const lost = new PtyWriter(3, () => true, gone.write2);
    lost.write(Buffer.from('queued'));
    gone.fail('EBADF');
    await settle();
    const after = gone.calls();
    lost.write(Buffer.from('more'));
    await settle();
    expect(gone.calls()).toBe(after);
    expect(lost.pending).toBe(0);
  });

  it('never writes once the terminal has let go of its descriptor, even before the exit is reported', async () => {
    const pty = fakePty(2);
    let open = true;
    const writer = new PtyWriter(3, () => open, pty.write2);
    writer.write(Buffer.from('abcd'));
    open = false;
    pty.read(10);
    await settle();
    writer.write(Buffer.from('more'));
    expect(pty.text()).toBe('ab');
    expect(writer.pending).toBe(0);
  });

  it('keeps its own copy of what it queues', async () => {
    const pty = fakePty(0);
    const writer = new PtyWriter(3, () => true, pty.write2);
    const buffer = Buffer.from('abc');
    writer.write(buffer);
    buffer.write('xyz');
    pty.read(10);
    await settle();
    expect(pty.text()).toBe('abc');
  });
});
