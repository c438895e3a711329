// The page on a LAN, as a phone opens it: `vibe connect --host 0.0.0.0` links to this machine's LAN address
// over plain http, which is not a secure context — no WebCrypto `subtle` there — so the page runs the same
// handshake and records in JavaScript (@noble). It must work all the same: the board, a terminal, typing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Browsers } from './browser.js';
import { Owner, type Link } from './owner.js';
import { openTerminal, typeLine, waitForConnection, waitForScreen } from './views.js';

const browsers = new Browsers();
let owner: Owner;
let lan: Link;

beforeAll(async () => {
  [owner] = await Promise.all([Owner.start({ defaultAgent: 'shell' }), browsers.launch()]);
  const connected = await owner.json<{ url: string; relay: { daemonId: string } }>(['connect', '--host', '0.0.0.0']);
  lan = { url: connected.url, daemonId: connected.relay.daemonId, relayPid: null };
}, 60_000);
afterEach(() => browsers.closePages());
afterAll(async () => {
  await browsers.close();
  await owner?.dispose();
});

describe('a link to the LAN address over plain http', () => {
  it('works without WebCrypto: the board, the terminal and typing, through the JavaScript cipher', async () => {
    const host = new URL(lan.url).hostname;
    // Where this machine has no LAN address the link names loopback, which is a secure context: nothing to show.
    if (host === '127.0.0.1' || host === 'localhost') return;
    const { number } = await owner.startTask('On the LAN', 'shell');
    const page = await browsers.open(lan.url);
    expect(await page.evaluate(() => [window.isSecureContext, typeof crypto.subtle])).toEqual([false, 'undefined']);
    await waitForConnection(page, 'live');
    await page.locator('.identity .verified').waitFor();
    await openTerminal(page, number);
    await typeLine(page, 'echo lan-$((20+22))');
    await waitForScreen(page, (text) => /^lan-42$/m.test(text), 'the echo over the LAN page');
  });
});
