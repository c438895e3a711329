// Links the page cannot use, in real Chromium: a relay that routes a link to a daemon other than the one its
// id names (the tampering relay double, which routes every id to its one daemon) gets a full-page error and
// no way around it; a real relay that does not know the daemon says so, with a button to try again.
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../cli/test/harness.js';
import { startRelay, stopStarted, type ChildServer } from '../../../cli/test/relay-fixtures.js';
import { TamperingRelay } from '../../../daemon/test/tampering-relay.js';
import { Browsers } from './browser.js';
import { Owner, type Link } from './owner.js';
import { waitForConnection } from './views.js';

const WEB = fileURLToPath(new URL('../../dist/web/', import.meta.url));
/** A well-formed daemon id (16 bytes, base64url) that is no key's. */
const OTHER_DAEMON = 'AAAAAAAAAAAAAAAAAAAAAA';

const browsers = new Browsers();
let owner: Owner;
let tampering: TamperingRelay;
let relay: ChildServer;
let link: Link;

beforeAll(async () => {
  [owner, tampering, relay] = await Promise.all([Owner.start(), TamperingRelay.start({ webDir: WEB }), startRelay([]), browsers.launch()]);
  link = await owner.link({ relay: tampering.url });
  await eventually(async () => (tampering.registered ? true : undefined), 'the daemon to register with the tampering relay');
}, 60_000);
afterEach(() => browsers.closePages());
afterAll(async () => {
  await browsers.close();
  await owner?.dispose();
  await tampering?.close();
  await stopStarted();
});

/** `url` with the daemon id in its fragment replaced by `daemonId`. */
function withDaemonId(url: string, daemonId: string): string {
  const [base, fragment] = url.split('#') as [string, string];
  const [version, , ...rest] = fragment.split('.');
  return `${base}#${[version, daemonId, ...rest].join('.')}`;
}

describe('a link the page cannot use', () => {
  it('shows a full-page error, with nothing to retry, when the relay connects it to a daemon other than the one it names', async () => {
    // The same relay and daemon with the link as made: the page loads and goes live, so the error below is the id's.
    const good = await browsers.open(link.url);
    await waitForConnection(good, 'live');
    await good.locator('.identity .verified').waitFor();

    const page = await browsers.open(withDaemonId(link.url, OTHER_DAEMON));
    await page.locator('.page-error h1').waitFor();
    expect(await page.locator('.page-error h1').textContent()).toBe('This is not the daemon the link names');
    const text = await page.locator('.page-error p').textContent();
    expect(text).toContain(`(${OTHER_DAEMON})`);
    expect(text).toContain('Nothing was sent to it');
    expect(await page.locator('.page-error button').count()).toBe(0);
    expect(await page.locator('.board, .conn[data-state=live]').count()).toBe(0);
  });

  it('says "Unknown daemon", with a button to try again, when the relay does not know the daemon', async () => {
    // A real relay no daemon connected to; the link is a real daemon's, its fragment untouched.
    const url = `${relay.url}/${link.url.slice(link.url.indexOf('#'))}`;
    const page = await browsers.open(url);
    await page.locator('.page-error h1').waitFor();
    expect(await page.locator('.page-error h1').textContent()).toBe('Unknown daemon');
    expect(await page.locator('.page-error p').textContent()).toContain(`No daemon with id ${link.daemonId} is connected to this relay`);
    // Trying again asks the relay again and gets the same answer: a new error page replaces the first.
    const first = await page.locator('.page-error').elementHandle();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('.page-error h1', { hasText: 'Unknown daemon' }).waitFor();
    expect(await first!.evaluate((element) => element.isConnected)).toBe(false);
  });
});
