// `vibe connect`, `vibe disconnect`, `vibe links ls|revoke`: remote access through a relay, run on the
// daemon's machine. The daemon holds the relay connection and the secrets; the CLI only asks and prints.
import type { LinkKind } from '@vibe/protocol';
import { requireLocal, withDaemon } from '../daemon-connection.js';
import { UsageError } from '../errors.js';
import { formatLinkTable, lanWarning } from '../link-format.js';
import { printJson, printLine, printLines, say } from '../output.js';
import { stderrPalette, stdoutPalette, terminalWidth } from '../terminal.js';

export interface ConnectOptions {
  relay?: string;
  host?: string;
  port?: string;
  readOnly?: boolean;
  label?: string;
  qr?: boolean;
  json?: boolean;
}

export async function connect(options: ConnectOptions): Promise<void> {
  requireLocal('connect');
  if (options.relay !== undefined && (options.host !== undefined || options.port !== undefined)) {
    throw new UsageError('vibe: --host and --port set up the embedded relay; they do not go with --relay');
  }
  const port = options.port === undefined ? undefined : parsePort(options.port);
  const kind: LinkKind = options.readOnly ? 'view' : 'control';
  const { relay, created } = await withDaemon(async ({ client }) => {
    let relay = (await client.request('relay.status', {})).relay;
    // With no flags, a configured relay (remote or embedded) is kept as it is.
    const change = options.relay !== undefined || options.host !== undefined || port !== undefined || !relay.enabled;
    if (change) {
      relay = (
        await client.request('relay.connect', {
          ...(options.relay !== undefined && { relay: options.relay }),
          ...(options.host !== undefined && { host: options.host }),
          ...(port !== undefined && { port }),
        })
      ).relay;
    }
    const created = await client.request('link.create', { kind, ...(options.label !== undefined && { label: options.label }) });
    return { relay, created };
  });
  if (options.json) {
    printJson({ relay, link: created.link, url: created.url });
    return;
  }
  const colors = stderrPalette();
  const warning = lanWarning(relay);
  if (warning) say(colors.yellow(warning));
  if (!relay.connected) say(colors.yellow(`the relay is not reachable right now${relay.lastError ? ` (${relay.lastError})` : ''}; the link works once it is`));
  if (options.qr !== false && process.stdout.isTTY) printLines(await qrLines(created.url));
  printLine(created.url);
  say(
    `${kind === 'view' ? 'view-only link' : 'control link'} ${created.link.id} "${created.link.label}" — ` +
      `open it in a browser, or \`vibe --link '<url>' task ls\` on another machine; \`vibe links revoke ${created.link.id}\` ends it`,
  );
}

export async function disconnect(options: { json?: boolean }): Promise<void> {
  requireLocal('disconnect');
  const { relay } = await withDaemon(({ client }) => client.request('relay.disconnect', {}));
  if (options.json) printJson({ relay });
  else say('relay connection closed; links stay valid and work again after the next `vibe connect`');
}

export async function linksLs(options: { json?: boolean }): Promise<void> {
  requireLocal('links ls');
  const { links } = await withDaemon(({ client }) => client.request('link.list', {}));
  if (options.json) {
    printJson({ links });
    return;
  }
  if (links.length === 0) {
    say('no links yet — `vibe connect` makes one');
    return;
  }
  printLines(formatLinkTable(links, { colors: stdoutPalette(), width: terminalWidth(process.stdout) }));
}

export async function linksRevoke(id: string, options: { json?: boolean }): Promise<void> {
  requireLocal('links revoke');
  const { link } = await withDaemon(({ client }) => client.request('link.revoke', { id }));
  if (options.json) printJson({ link });
  else say(`revoked link ${link.id} "${link.label}"; its connections are closed`);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`vibe: --port must be a port number (0-65535), not ${JSON.stringify(text)}`);
  return port;
}

/** The link as a QR code of half-block characters, quiet zone included, for a phone's camera. */
async function qrLines(url: string): Promise<string[]> {
  const { renderUnicodeCompact } = await import('uqr');
  return renderUnicodeCompact(url, { border: 2 }).split('\n');
}
