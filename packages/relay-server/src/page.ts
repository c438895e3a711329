import { createHash } from 'node:crypto';
import { RELAY_CLOSE } from '@vibe/protocol';

// The page at the relay's base URL. The web view comes later; for now it says what a link is, and for a link it
// reads the fragment (which never reaches the server) and asks the relay whether that daemon is connected.

export interface PageMessage {
  title: string;
  /** `{id}` stands for the daemon id from the link. */
  text: string;
}

/**
 * What the page says when the relay ends its probe, by close code. The probe opens /v1/client for the link's
 * daemon and sends nothing, so these are the codes it can meet; any other shows its number and reason.
 */
export const PAGE_CLOSE_MESSAGES: Record<number, PageMessage> = {
  [RELAY_CLOSE.unknownDaemon]: {
    title: 'Unknown daemon',
    text: 'No daemon with id {id} is connected to this relay right now. Its computer may be asleep or offline, or its daemon stopped or disconnected (running vibe connect there connects it again). Or the link is for another relay.',
  },
  [RELAY_CLOSE.tooMany]: {
    title: 'Too many connections to this daemon',
    text: 'Daemon {id} already has as many clients connected as it allows. Close a terminal or browser tab connected to it, or try again later.',
  },
  [RELAY_CLOSE.daemonGone]: {
    title: 'The daemon went away',
    text: 'Daemon {id} disconnected from the relay just now, or the relay holding it cannot be reached. Try again in a moment.',
  },
  [RELAY_CLOSE.restarting]: {
    title: 'The relay is restarting',
    text: 'The relay is shutting down for a restart. Try again in a moment.',
  },
  [RELAY_CLOSE.badRequest]: {
    title: 'This is not a complete vibe link',
    text: 'The relay could not read the daemon id in this link. Copy the whole link that vibe connect printed.',
  },
  [RELAY_CLOSE.timeout]: {
    title: 'The connection timed out',
    text: 'The relay closed the connection after it sat idle. Reload the page to ask again.',
  },
  // No close frame: the WebSocket never opened or the network dropped it.
  1006: {
    title: 'Cannot reach the relay',
    text: 'The connection to the relay failed. It may be refusing new connections from this address for a moment (too many in a short time), a proxy in front of it may not pass WebSockets, or the network dropped. Try again shortly.',
  },
};

// Plain DOM, no framework; textContent only, so nothing from the fragment is ever parsed as HTML.
const SCRIPT = `
(function () {
  var MESSAGES = ${JSON.stringify(PAGE_CLOSE_MESSAGES)};
  var out = document.getElementById('status');
  var say = function (title, text) {
    document.getElementById('title').textContent = title;
    out.textContent = text;
  };
  var parts = location.hash.slice(1).split('.');
  if (!location.hash) return;
  if (parts.length !== 4 || parts[0] !== 'v1' || !/^[A-Za-z0-9_-]{22}$/.test(parts[1])) {
    say('This is not a complete vibe link', 'The part after # is missing or damaged. Copy the whole link that vibe connect printed.');
    return;
  }
  say('Looking for the daemon…', 'Asking the relay whether daemon ' + parts[1] + ' is connected.');
  var base = location.pathname.replace(/\\/+$/, '');
  var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + base + '/v1/client?daemon=' + parts[1]);
  var settled = false;
  var timer = setTimeout(function () {
    settled = true;
    say('The daemon is online', 'The browser view is not available yet. From a terminal, use: vibe --link "<this link>" task ls (or attach, board).');
    ws.close(1000);
  }, 1500);
  ws.onclose = function (event) {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    var message = Object.prototype.hasOwnProperty.call(MESSAGES, event.code) ? MESSAGES[event.code] : null;
    if (message) say(message.title, message.text.split('{id}').join(parts[1]));
    else say('The relay closed the connection', 'Close code ' + event.code + (event.reason ? ': ' + event.reason : '') + '.');
  };
})();
`;

const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vibe relay</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 38rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.4rem; }
  code { background: #f2f2f2; padding: 0 .25rem; border-radius: 3px; }
  @media (prefers-color-scheme: dark) { body { background: #111; color: #ddd; } code { background: #333; } }
</style>
</head>
<body>
<h1 id="title">vibe relay</h1>
<p id="status">This relay forwards end-to-end encrypted traffic between vibe daemons and their clients; it cannot
read it. To reach a daemon, open the link that <code>vibe connect</code> printed on its machine — or run
<code>vibe --link LINK task ls</code> from another computer.</p>
<script>${SCRIPT}</script>
</body>
</html>
`;

/** Headers for the page: only its own script runs, it may talk only to this relay, and it sends no referrer. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};
