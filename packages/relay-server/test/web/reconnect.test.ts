// The web view across a relay crash, in real Chromium with the real daemon: the embedded relay is killed with
// SIGKILL while a session prints numbered lines; the daemon starts it again on the same port, the page says
// it is reconnecting, comes back live by itself, and its terminal resumes — every line once, in order.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeAgentPath } from '../../../cli/test/harness.js';
import { countingScript, numberedLines } from '../../../cli/test/relay-fixtures.js';
import { Browsers } from './browser.js';
import { Owner } from './owner.js';
import { openTerminal, screenText, waitForConnection, waitForScreen } from './views.js';

const LINES = 400;
/** 100 steps of 4 lines 100 ms apart: about 10 s of output, longer than the relay takes to come back. */
const SCRIPT = countingScript(LINES, 4, 100);
/**
 * Taller than everything the agent prints, so xterm.js never scrolls: its rows hold the whole output and
 * reading them is exact (reading only the rows of a scrolled terminal would miss what scrolled away).
 */
const SIZE = { cols: 100, rows: LINES + 40 };

const browsers = new Browsers();
let owner: Owner;

beforeAll(async () => {
  // The script is too long for the config (4096 characters an argument): the fake agent takes it from the
  // environment, which the daemon passes on to its sessions. Sessions run under node-pty rather than tmux, so
  // the stream is the agent's own output: a byte sent twice or lost shows as a line repeated or missing,
  // where tmux's cursor-addressed redraw of a screen that never scrolls would paint it over the same cells.
  const counter = { command: [process.execPath, fakeAgentPath], prompt: 'none', hooks: 'env' };
  [owner] = await Promise.all([Owner.start({ agents: { counter } }, { FAKE_AGENT_SCRIPT: SCRIPT, VIBE_SESSION_HOST: 'pty' }), browsers.launch()]);
}, 60_000);
afterEach(() => browsers.closePages());
afterAll(async () => {
  await browsers.close();
  await owner?.dispose();
});

/** Gives session `id` a size, as a client that types would (over the local socket), then leaves it. */
async function sizeSession(id: number, size: { cols: number; rows: number }): Promise<void> {
  const daemon = await owner.daemon();
  await daemon.request('session.attach', { session: id, size });
  await daemon.request('session.detach', { session: id });
}

const lastLine = (text: string): number => numberedLines(text).at(-1) ?? 0;

describe('the relay killed while a session prints', () => {
  it('shows reconnecting, then live again, and the terminal holds every numbered line once and in order', async () => {
    const link = await owner.link();
    const { number, session } = await owner.startTask('Count', 'counter');
    await sizeSession(session.id, SIZE);
    expect(await owner.session(session.id)).toMatchObject(SIZE);

    const page = await browsers.open(link.url);
    await waitForConnection(page, 'live');
    // The page only watches (it never types), so its terminal takes the session's size and keeps it.
    await openTerminal(page, number);
    await waitForScreen(page, (text) => text.includes('go? '.trimEnd()), 'the agent to ask');
    expect(await page.locator('.terminal-screen .xterm-rows > div').count()).toBe(SIZE.rows);
    // Every state the connection badge shows from here on, in order.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenStates: string[] }).seenStates = seen;
      const note = (): void => {
        const state = document.querySelector('.conn')?.getAttribute('data-state');
        if (state && seen.at(-1) !== state) seen.push(state);
      };
      note();
      new MutationObserver(note).observe(document.querySelector('.topbar')!, { subtree: true, childList: true, attributes: true });
    });

    await owner.vibe(['send', `s${session.id}`, 'go', '--enter']);
    await waitForScreen(page, (text) => lastLine(text) >= 60, 'line 60');
    process.kill(link.relayPid!, 'SIGKILL');
    await waitForConnection(page, 'reconnecting');
    const atLoss = lastLine(await screenText(page));
    await page.locator('.terminal-status', { hasText: 'Reconnecting' }).waitFor();

    // The daemon starts its relay again on the port the link names; the page finds it by itself.
    await waitForConnection(page, 'live', 30_000);
    const { relay } = await owner.json<{ relay: { connected: boolean; embedded: { pid: number | null; port: number } } }>(['status']);
    expect(relay.embedded.pid).not.toBe(link.relayPid);
    expect(link.url.startsWith(`http://127.0.0.1:${relay.embedded.port}/`)).toBe(true);
    // The connection went away mid-count, so lines printed meanwhile must come through the resume.
    expect(atLoss).toBeLessThan(LINES);

    const text = await waitForScreen(page, (shown) => shown.includes('done?'), 'the count to end', 30_000);
    expect(numberedLines(text)).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
    // Nothing scrolled away: the first thing the agent printed is still the first row.
    expect(text.split('\n')[0]).toBe('go? go');
    expect(await page.locator('.terminal-status').isHidden()).toBe(true);
    const states = await page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
    expect(states[0]).toBe('live');
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('live');
    expect(states).not.toContain('failed');
  });
});
