// Counts the input given to a host that keeps what its program does not read out of vibe's sight (tmux), and
// forgets it only once a probe shows the program has read everything typed before the probe began.
//
// The probe cannot say how much was read, only whether anything is left, so a program that reads slowly
// counts as reading nothing until it catches up: the bound errs towards refusing, never towards holding more.

/** Below this much uncounted input nobody asks: each probe is a process started by the daemon. */
export const PROBE_FROM = 16 * 1024;
/** Delays between probes while input stays unread: quick at first (a paste being read), then once a second. */
const RETRY_DELAYS_MS = [20, 50, 100, 200, 500, 1000];

export interface InputGaugeOptions {
  /** True when nothing typed so far waits unread, false when something does, undefined when it cannot tell. */
  probe: () => Promise<boolean | undefined>;
  /** Bytes given to `add` that the daemon itself still holds (not yet passed to the host). */
  held: () => number;
  /** The probe cannot tell: from now on only what the daemon holds is counted. */
  blind: () => void;
}

export class InputGauge {
  /** Bytes given to the host since the program was last seen with nothing left to read. */
  private sent = 0;
  private probing = false;
  private retries = 0;
  private timer: NodeJS.Timeout | undefined;
  private isBlind = false;
  private disposed = false;

  constructor(private readonly options: InputGaugeOptions) {}

  /** Input typed that the program has not been seen to read. */
  unread(): number {
    return this.isBlind ? this.options.held() : this.sent;
  }

  /** `bytes` more were given to the host. */
  add(bytes: number): void {
    this.sent += bytes;
    this.schedule(0);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }

  private schedule(delay: number): void {
    if (this.disposed || this.isBlind || this.probing || this.timer || this.sent < PROBE_FROM) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.probeOnce();
    }, delay);
    this.timer.unref();
  }

  private async probeOnce(): Promise<void> {
    // Only what had left the daemon when the probe began can have been read by the time it answers.
    const passedOn = this.sent - this.options.held();
    this.probing = true;
    const empty = await this.options.probe().catch(() => undefined);
    this.probing = false;
    if (this.disposed) return;
    if (empty === undefined) {
      this.isBlind = true;
      this.options.blind();
      return;
    }
    if (empty) {
      this.sent -= passedOn;
      this.retries = 0;
      this.schedule(0);
      return;
    }
    this.schedule(RETRY_DELAYS_MS[Math.min(this.retries++, RETRY_DELAYS_MS.length - 1)]!);
  }
}
