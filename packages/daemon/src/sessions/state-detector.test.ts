// State heuristics with fake timers: bursts are working, quiet is idle, prompts are waiting, hooks win.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StateDetector, stripAnsi, type StateDetectorOptions } from './state-detector.js';
import type { StateSignal } from './types.js';

const out = (n: number, char = 'x'): Uint8Array => new TextEncoder().encode(char.repeat(n));
const say = (text: string): Uint8Array => new TextEncoder().encode(text);

function detector(options: Partial<StateDetectorOptions> = {}) {
  const signals: StateSignal[] = [];
  const d = new StateDetector({ waitingPatterns: [], usesHooks: false, ...options }, (signal) => signals.push(signal));
  return { d, signals, states: () => signals.map((signal) => signal.state) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('StateDetector', () => {
  it('calls a burst of output working and a quiet spell after it idle', async () => {
    const { d, signals } = detector();
    d.feed(out(200));
    expect(signals).toEqual([{ state: 'working', source: 'output' }]);
    await vi.advanceTimersByTimeAsync(2900);
    d.feed(out(100));
    await vi.advanceTimersByTimeAsync(2900);
    expect(signals).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(signals.at(-1)).toEqual({ state: 'idle', source: 'quiet' });
  });

  it('ignores cursor blinks, echoed keys and a clock redrawn once a second', async () => {
    const { d, signals } = detector();
    for (let i = 0; i < 10; i++) {
      d.feed(out(6)); // blink / echo
      d.feed(say('\x1b[1;70H12:34:5' + i)); // 17 bytes, once a second
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(signals).toEqual([]);
  });

  it('counts a spinner redrawn several times a second as working', async () => {
    const { d, states } = detector();
    for (let i = 0; i < 4; i++) {
      d.feed(say(`\x1b[2K\r✻ Thinking… ${i}s`));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(states()).toEqual(['working']);
  });

  it('reports waiting when a prompt pattern shows on the screen text, with escapes stripped', async () => {
    const { d, signals } = detector({ waitingPatterns: [/Do you want to proceed\?/] });
    d.feed(out(100));
    d.feed(say('\x1b[1mDo you\x1b[0m want to \x1b[32mproceed?\x1b[0m\r\n ❯ 1. Yes\r\n'));
    await vi.advanceTimersByTimeAsync(300);
    expect(signals).toEqual([
      { state: 'working', source: 'output' },
      { state: 'waiting', source: 'prompt' },
    ]);
    // Quiet while waiting stays waiting.
    await vi.advanceTimersByTimeAsync(5000);
    expect(signals).toHaveLength(2);
  });

  it('reads the prompt from the last 8 KiB of output, in pieces and across many chunks', async () => {
    const { d, states } = detector({ waitingPatterns: [/Do you want to proceed\?/] });
    for (let i = 0; i < 30; i++) d.feed(out(1000)); // the tail's ring wraps many times
    for (const piece of ['Do you', ' want to pro', 'ceed?']) d.feed(say(piece));
    d.feed(out(7000)); // still within the last 8 KiB
    await vi.advanceTimersByTimeAsync(300);
    expect(states()).toEqual(['working', 'waiting']);
    const later = detector({ waitingPatterns: [/Do you want to proceed\?/] });
    later.d.feed(say('Do you want to proceed?'));
    later.d.feed(out(9000)); // scrolled out of the tail
    await vi.advanceTimersByTimeAsync(300);
    expect(later.states()).toEqual(['working']);
  });

  it('stays waiting while the prompt redraws, and leaves it once the prompt is gone', async () => {
    let screen = 'Allow this command? (y/n)';
    const { d, states } = detector({ waitingPatterns: [/\(y\/n\)/], readScreen: async () => screen });
    d.feed(out(100));
    await vi.advanceTimersByTimeAsync(300);
    expect(states()).toEqual(['working', 'waiting']);
    d.feed(out(80)); // the menu redraws under an arrow key
    await vi.advanceTimersByTimeAsync(300);
    expect(states()).toEqual(['working', 'waiting']);
    screen = 'Running tests…';
    d.feed(out(300));
    await vi.advanceTimersByTimeAsync(300);
    expect(states()).toEqual(['working', 'waiting', 'working']);
    await vi.advanceTimersByTimeAsync(3000);
    expect(states()).toEqual(['working', 'waiting', 'working', 'idle']);
  });

  it('checks for a prompt during endless output at least every couple of seconds', async () => {
    let screen = '';
    const { d, states } = detector({ waitingPatterns: [/Trust this folder\?/], readScreen: async () => screen });
    for (let i = 0; i < 10; i++) {
      if (i === 3) screen = 'Trust this folder?';
      d.feed(out(100));
      await vi.advanceTimersByTimeAsync(250);
    }
    expect(states()).toEqual(['working', 'waiting']);
  });

  it('with hooks, supplies only waiting (and leaving it) from output', async () => {
    let screen = 'Approve edit? [y/N]';
    const { d, states } = detector({ usesHooks: true, waitingPatterns: [/\[y\/N\]/], readScreen: async () => screen });
    d.feed(out(500));
    await vi.advanceTimersByTimeAsync(300);
    expect(states()).toEqual(['waiting']);
    screen = 'editing…';
    d.feed(out(500));
    await vi.advanceTimersByTimeAsync(300);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(states()).toEqual(['waiting', 'working']);
  });

  it('hands working and idle over to hooks once the first hook report arrives', async () => {
    const { d, states } = detector({ hookHoldMs: 5000 });
    d.feed(out(500));
    await vi.advanceTimersByTimeAsync(3100);
    expect(states()).toEqual(['working', 'idle']);
    // The CLI's hooks turn out to work (Gemini in a folder it trusts): output no longer decides.
    d.hookReported('working');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(d.state).toBe('working');
    d.hookReported('idle');
    await vi.advanceTimersByTimeAsync(6000);
    d.feed(out(500));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(d.state).toBe('idle');
    expect(states()).toEqual(['working', 'idle']);
  });

  it('once hooks that report whole turns have spoken, leaves waiting to them: old prompt text on screen is not a prompt', async () => {
    // A resize left the answered "Apply this change?" on screen above the finished turn.
    const screen = 'Apply this change? [y/N]\n✦ Wrote hello.txt.\n> Type your message';
    const { d, states } = detector({ usesHooks: true, waitingPatterns: [/\[y\/N\]/], readScreen: async () => screen });
    d.hookReported('working');
    d.hookReported('idle');
    d.feed(out(500));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(states()).toEqual([]);
    expect(d.state).toBe('idle');
  });

  it("still reads prompts from the screen for hooks that only end turns (Codex's approvals)", async () => {
    const screen = 'Allow command? [y/N]';
    const { d, states } = detector({ usesHooks: true, hooksReportWorking: false, waitingPatterns: [/\[y\/N\]/], readScreen: async () => screen });
    d.hookReported('idle');
    await vi.advanceTimersByTimeAsync(6000);
    d.feed(out(500));
    await vi.advanceTimersByTimeAsync(1000);
    expect(states()).toEqual(['working', 'waiting']);
  });

  it('reads an undefined hooksReportWorking as true', async () => {
    const { d, states } = detector({ usesHooks: true, hooksReportWorking: undefined });
    d.feed(out(500));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(states()).toEqual([]);
  });

  it("with hooks that only end turns (Codex's notify), takes working from output but never idle", async () => {
    const { d, states } = detector({ usesHooks: true, hooksReportWorking: false, hookHoldMs: 5000 });
    d.feed(out(500));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(states()).toEqual(['working']);
    d.hookReported('idle');
    d.feed(out(500));
    expect(d.state).toBe('idle'); // held: the output right after a turn ends is the turn's last words
    await vi.advanceTimersByTimeAsync(5100);
    d.feed(out(500));
    expect(states()).toEqual(['working', 'working']);
    expect(d.state).toBe('working');
  });

  it('keeps a waiting that a hook reported while the agent prints its question', async () => {
    const screen = 'Name? ';
    const { d, states } = detector({ usesHooks: true, waitingPatterns: [/\(y\/n\)/], readScreen: async () => screen });
    d.hookReported('waiting');
    d.feed(say('a question the patterns do not know: Name? '.repeat(3)));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(states()).toEqual([]);
    expect(d.state).toBe('waiting');
  });

  it('starts from a known state, so an old prompt still on screen does not make an idle agent waiting', async () => {
    const screen = 'Proceed? (y/n) y\nall done';
    const { d, states } = detector({ usesHooks: true, initialState: 'idle', waitingPatterns: [/\(y\/n\) $/], readScreen: async () => screen });
    d.feed(out(200));
    await vi.advanceTimersByTimeAsync(5000);
    expect(states()).toEqual([]);
    expect(d.state).toBe('idle');
  });

  it('strips CSI, OSC and charset escapes but keeps text and newlines', () => {
    expect(stripAnsi('\x1b]0;title\x07\x1b(B\x1b[38;2;1;2;3mhi\x1b[0m\r\nthere\x1b[?25l')).toBe('hi\nthere');
  });
});
