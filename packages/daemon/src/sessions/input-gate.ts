// A pty master written by one thread and closed by another. The daemon writes keystrokes to a pty of the pty
// thread straight from its event loop (a message to the thread would cost the thread's wake-up on every key),
// but the thread closes the descriptor when the program ends, and a closed descriptor's number may name
// another file a moment later. The gate, one Int32 in shared memory, makes the two exclusive: a write holds
// it for the one write(2), and the close waits for that write before it shuts the gate for good.
import { writeSync } from 'node:fs';

const OPEN = 0;
const WRITING = 1;
const CLOSED = 2;

/** A new gate, open, in memory both threads can see. */
export function createGate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

export function gateOpen(gate: Int32Array): boolean {
  return Atomics.load(gate, 0) !== CLOSED;
}

/**
 * Writes while holding the gate: what write(2) took, or an EBADF error once the gate is shut (the descriptor
 * is then never touched again). Only one thread writes through a gate, so holding it never waits.
 */
export function gatedWrite(gate: Int32Array, fd: number, data: Uint8Array, write: (fd: number, data: Uint8Array) => number = writeSync): number {
  if (Atomics.compareExchange(gate, 0, OPEN, WRITING) !== OPEN) throw Object.assign(new Error('the pty is closed'), { code: 'EBADF' });
  try {
    return write(fd, data);
  } finally {
    Atomics.store(gate, 0, OPEN);
    Atomics.notify(gate, 0);
  }
}

/** Shuts the gate for good, after the write under way (if any) has returned. Call before closing the descriptor. */
export function closeGate(gate: Int32Array): void {
  while (Atomics.compareExchange(gate, 0, OPEN, CLOSED) === WRITING) Atomics.wait(gate, 0, WRITING, 5);
}
