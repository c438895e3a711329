// Test helpers for the sessions room: a scripted terminal, a recording viewer, real tmux in a temp dir.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameKind, type Frame } from '@vibe/protocol';
import type { TerminalSink } from './live-session.js';
import { TerminalBase } from './terminal-base.js';
import { TmuxHost, type TmuxHostOptions } from './tmux-host.js';
import type { HostedTerminal } from './types.js';

const encoder = new TextEncoder();
export const bytes = (text: string): Uint8Array => encoder.encode(text);
export const text = (data: Uint8Array): string => new TextDecoder().decode(data);

/** A terminal whose output the test pushes and whose input and resizes it records. */
export class FakeTerminal extends TerminalBase implements HostedTerminal {
  readonly written: string[] = [];
  readonly sizes: [number, number][] = [];
  snapshots = 0;
  snapshotBytes = bytes('<screen>');

  constructor(name = 'fake') {
    super(name);
  }

  push(data: Uint8Array | string): void {
    this.emitData(typeof data === 'string' ? bytes(data) : data);
  }

  exit(code: number | null): void {
    this.emitExit(code);
  }

  pid(): number | undefined {
    return 4242;
  }
  write(data: Uint8Array | string): void {
    this.written.push(typeof data === 'string' ? data : text(data));
  }
  pendingInput(): number {
    return 0;
  }
  resize(cols: number, rows: number): void {
    this.sizes.push([cols, rows]);
  }
  async snapshot(): Promise<Uint8Array> {
    this.snapshots++;
    return this.snapshotBytes;
  }
  async screenText(): Promise<string | undefined> {
    return undefined;
  }
  async stop(): Promise<void> {
    this.emitExit(null);
  }
  release(): void {}
}

/** A viewer that records frames; it can pretend its connection is full, and ack what it gets. */
export class RecordingSink implements TerminalSink {
  private static next = 1;
  readonly id = RecordingSink.next++;
  readonly frames: Frame[] = [];
  buffered = 0;
  onFrame: ((frame: Frame) => void) | undefined;

  /** Keeps a copy of the payload, as every real sink does before returning (see TerminalSink). */
  sendFrame(frame: Frame): void {
    const kept = { ...frame, payload: frame.payload.slice() };
    this.frames.push(kept);
    this.onFrame?.(kept);
  }
  bufferedBytes(): number {
    return this.buffered;
  }

  outputs(): Frame[] {
    return this.frames.filter((frame) => frame.kind === FrameKind.Output);
  }
  snapshots(): Frame[] {
    return this.frames.filter((frame) => frame.kind === FrameKind.Snapshot);
  }
  /** Output bytes after the last snapshot (or all), checking that their offsets are contiguous. */
  stream(): Uint8Array {
    const lastSnapshot = this.frames.map((frame) => frame.kind).lastIndexOf(FrameKind.Snapshot);
    const frames = this.frames.slice(lastSnapshot + 1).filter((frame) => frame.kind === FrameKind.Output);
    const total = frames.reduce((sum, frame) => sum + frame.payload.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const frame of frames) {
      if (at > 0 && frame.seq !== frames[0]!.seq + at) throw new Error(`gap in output: expected seq ${frames[0]!.seq + at}, got ${frame.seq}`);
      out.set(frame.payload, at);
      at += frame.payload.length;
    }
    return out;
  }
  /** Offset after the newest byte received. */
  end(): number {
    const last = this.frames.at(-1);
    if (!last) return 0;
    return last.kind === FrameKind.Snapshot ? last.seq : last.seq + last.payload.length;
  }
}

/** A program that puts its terminal in raw mode and never reads: what it is typed piles up (the kernel takes a few KiB). */
export const NEVER_READS = ['sh', '-c', 'stty raw -echo; echo ready; exec sleep 600'];

/**
 * Types `chunk` into the terminal again and again in one go (no turn of the event loop lets the pty drain),
 * until the terminal refuses or `max` writes went in; returns the refusal and how many were taken.
 */
export function typeUntilRefused(terminal: HostedTerminal, chunk: string, max: number): { accepted: number; refusal: unknown } {
  for (let accepted = 0; accepted < max; accepted++) {
    try {
      terminal.write(chunk);
    } catch (refusal) {
      return { accepted, refusal };
    }
  }
  return { accepted: max, refusal: undefined };
}

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A private tmux server in a temp dir; `dispose` kills exactly that server and removes the dir. */
export function tmuxFixture(options: Partial<TmuxHostOptions> = {}): { dir: string; host: TmuxHost; newHost(): TmuxHost; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vibe-tmux-'));
  const make = (): TmuxHost => new TmuxHost({ socketDir: dir, pollMs: 100, reapDelayMs: 100, ...options });
  const host = make();
  return {
    dir,
    host,
    newHost: make,
    dispose() {
      try {
        execFileSync('tmux', ['-S', join(dir, 'tmux.sock'), 'kill-server'], { stdio: 'ignore' });
      } catch {
        // no server left: every session already ended
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const hasTmux = ((): boolean => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Whether a process (ours or not) still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
