// The relay page's own script, taken from what a real relay process serves, run against that relay with a
// real WebSocket (the ws package's, which has the browser's onclose API) and a two-element DOM: what a
// person opening a link would read. No browser is installed here, so the DOM is the smallest one the page uses.
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectClient, connectDaemon, startRelayProcess, stopAllRelays, type RelayProcess } from './helpers.js';

afterAll(stopAllRelays);

const LINK_REST = 'bGlua2lkMTI.c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0';

/** Loads `url` the way a browser would run the page's script, and resolves with what the page finally says. */
async function openPage(url: string): Promise<{ title: string; status: string }> {
  const html = await (await fetch(url)).text();
  const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
  const title = { textContent: 'vibe relay' };
  const status = { textContent: '' };
  const { hash, pathname, protocol, host } = new URL(url);
  const sockets: WebSocket[] = [];
  runInNewContext(script, {
    document: { getElementById: (id: string) => (id === 'title' ? title : id === 'status' ? status : null) },
    location: { hash, pathname, protocol, host },
    WebSocket: class extends WebSocket {
      constructor(address: string) {
        super(address);
        sockets.push(this);
        // A browser reports a failed connection as an error event and then a close (1006), never a throw.
        this.on('error', () => undefined);
      }
    },
    setTimeout,
    clearTimeout,
  });
  // The page settles on a close, or after 1.5 s on "online"; it never says "Looking…" for long.
  const deadline = Date.now() + 5_000;
  while (title.textContent === 'Looking for the daemon…' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  for (const ws of sockets) ws.terminate();
  return { title: title.textContent, status: status.textContent };
}

describe('the relay page for a link', () => {
  let relay: RelayProcess;

  it('says a daemon nobody has connected is unknown, names its id, and says what to do', async () => {
    relay = await startRelayProcess(['--max-clients-per-daemon', '1']);
    const page = await openPage(`${relay.url}/#v1.Zmh6rfhivXdsj8GLjp-OIA.${LINK_REST}`);
    expect(page.title).toBe('Unknown daemon');
    expect(page.status).toContain('No daemon with id Zmh6rfhivXdsj8GLjp-OIA is connected to this relay');
    expect(page.status).toContain('vibe connect');
  });

  it('says a connected daemon is online', async () => {
    const daemon = await connectDaemon(relay.wsUrl);
    const page = await openPage(`${relay.url}/#v1.${daemon.daemonId}.${LINK_REST}`);
    expect(page.title).toBe('The daemon is online');
    daemon.close();
  });

  it('says a daemon at its client cap has too many connections — of its own, not from this address', async () => {
    const daemon = await connectDaemon(relay.wsUrl);
    const first = connectClient(relay.wsUrl, daemon.daemonId);
    await first.opened;
    await daemon.nextOpen();
    const page = await openPage(`${relay.url}/#v1.${daemon.daemonId}.${LINK_REST}`);
    expect(page.title).toBe('Too many connections to this daemon');
    expect(page.status).toContain(`Daemon ${daemon.daemonId} already has as many clients connected as it allows`);
    first.close();
    daemon.close();
  });

  it('says a damaged link is not complete without asking the relay', async () => {
    const page = await openPage(`${relay.url}/#v1.too-short`);
    expect(page.title).toBe('This is not a complete vibe link');
  });

  it('says the relay cannot be reached when it refuses the upgrade with HTTP 429', async () => {
    const limited = await startRelayProcess(['--handshake-rate', '1', '--handshake-burst', '1']);
    await connectClient(limited.wsUrl, 'Zmh6rfhivXdsj8GLjp-OIA').whenClosed();
    const page = await openPage(`${limited.url}/#v1.Zmh6rfhivXdsj8GLjp-OIA.${LINK_REST}`);
    expect(page.title).toBe('Cannot reach the relay');
    expect(page.status).toContain('too many in a short time');
    await limited.stop();
  });
});
