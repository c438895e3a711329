// What both hosts' terminals share: data and exit listeners, early output held for the first listener, and
// the bound on input a program has not read.
import { ProtocolError } from '@vibe/protocol';

/** Output held while nobody listens yet; past this the oldest is dropped (the scrollback would drop it too). */
const EARLY_LIMIT = 1024 * 1024;
/**
 * Input held for a program that is not reading it (the pty's buffer is full); past this, input is refused
 * rather than queued, so a stuck program cannot make the daemon hold without bound what clients type.
 */
export const MAX_PENDING_INPUT = 1024 * 1024;

export abstract class TerminalBase {
  private readonly dataListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly exitListeners = new Set<(code: number | null) => void>();
  private early: Uint8Array[] | undefined = [];
  private earlyBytes = 0;
  private exitRecord: { code: number | null } | undefined;

  constructor(readonly name: string) {}

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    const early = this.early;
    this.early = undefined;
    if (early) for (const chunk of early) listener(chunk);
    return () => this.dataListeners.delete(listener);
  }

  onExit(listener: (code: number | null) => void): () => void {
    if (this.exitRecord) {
      const { code } = this.exitRecord;
      queueMicrotask(() => listener(code));
      return () => {};
    }
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  exitStatus(): { code: number | null } | undefined {
    return this.exitRecord;
  }

  /** Refuses (`busy`, nothing written) input that would take what the program has not read past the limit. */
  protected admitInput(pending: number, input: Uint8Array | string): void {
    if (pending + inputBytes(input) <= MAX_PENDING_INPUT) return;
    throw new ProtocolError(
      'busy',
      `its program is not reading input: ${kib(pending)} typed earlier is still unread and vibe holds at most ${kib(MAX_PENDING_INPUT)}, so nothing more was typed`,
      { pendingBytes: pending, limitBytes: MAX_PENDING_INPUT },
    );
  }

  protected emitData(bytes: Uint8Array): void {
    if (this.early) {
      this.early.push(bytes);
      this.earlyBytes += bytes.length;
      while (this.earlyBytes > EARLY_LIMIT && this.early.length > 1) this.earlyBytes -= this.early.shift()!.length;
      return;
    }
    for (const listener of this.dataListeners) listener(bytes);
  }

  /** No one is told of the exit any more (the daemon let the terminal go). */
  protected forgetExitListeners(): void {
    this.exitListeners.clear();
  }

  /** Records the exit once; later reports (a poll racing the pty's end) are ignored. */
  protected emitExit(code: number | null): void {
    if (this.exitRecord) return;
    this.exitRecord = { code };
    for (const listener of this.exitListeners) listener(code);
    this.exitListeners.clear();
  }
}

/** The size of typed input in bytes (a string is typed as UTF-8). */
export const inputBytes = (input: Uint8Array | string): number => (typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength);

const kib = (bytes: number): string => `${Math.ceil(bytes / 1024)} KiB`;

/** Full reset (RIS), so replayed bytes land on a terminal in its initial state. */
const RESET = Uint8Array.of(0x1b, 0x63);

/** Repaint by replay: a terminal reset, then the output bytes still held. */
export function replaySnapshot(history: Uint8Array): Uint8Array {
  const out = new Uint8Array(RESET.length + history.length);
  out.set(RESET);
  out.set(history, RESET.length);
  return out;
}
