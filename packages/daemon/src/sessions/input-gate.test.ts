import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { closeGate, createGate, gatedWrite, gateOpen } from './input-gate.js';

describe('input gate', () => {
  it('writes while open; once shut it refuses with EBADF and never calls write again', () => {
    const gate = createGate();
    const writes: number[] = [];
    const write = (fd: number, data: Uint8Array): number => {
      writes.push(fd);
      return data.length;
    };
    expect(gatedWrite(gate, 7, Buffer.from('ab'), write)).toBe(2);
    closeGate(gate);
    closeGate(gate); // twice is fine
    expect(gateOpen(gate)).toBe(false);
    expect(() => gatedWrite(gate, 7, Buffer.from('c'), write)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(writes).toEqual([7]);
  });

  it('is open again after a write that throws', () => {
    const gate = createGate();
    expect(() =>
      gatedWrite(gate, 7, Buffer.from('a'), () => {
        throw Object.assign(new Error('full'), { code: 'EAGAIN' });
      }),
    ).toThrow('full');
    expect(gateOpen(gate)).toBe(true);
    expect(gatedWrite(gate, 7, Buffer.from('a'), () => 1)).toBe(1);
  });

  it('makes a close on another thread wait for the write under way', async () => {
    const gate = createGate();
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const gate = new Int32Array(workerData);
       while (Atomics.load(gate, 0) !== 1) {} // the write has begun
       // The code under test itself, not a copy of it.
       ${closeGate.toString()}
       const OPEN = 0, WRITING = 1, CLOSED = 2;
       closeGate(gate);
       parentPort.postMessage(performance.timeOrigin + performance.now());`,
      { eval: true, workerData: gate.buffer },
    );
    const closedAt = new Promise<number>((resolve) => worker.once('message', resolve));
    let wroteUntil = 0;
    gatedWrite(gate, 7, Buffer.from('a'), () => {
      const until = Date.now() + 300;
      while (Date.now() < until) {
        // a write(2) that takes a while
      }
      wroteUntil = performance.timeOrigin + performance.now();
      return 1;
    });
    expect(await closedAt).toBeGreaterThanOrEqual(wroteUntil);
    expect(gateOpen(gate)).toBe(false);
    await worker.terminate();
  });
});
