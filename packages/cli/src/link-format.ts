// How `vibe links ls`, `vibe connect` and `vibe status` show links and the relay connection.
import type { Link, RelayStatus } from '@vibe/protocol';
import { timeAgo } from './duration.js';
import { escapeText } from './escape.js';
import { formatTable, type Cell } from './table.js';
import type { Palette } from './terminal.js';

export function formatLinkTable(links: readonly Link[], options: { colors: Palette; width?: number; now?: number }): string[] {
  const { colors } = options;
  const rows: Cell[][] = links.map((link) => [
    link.id,
    escapeText(link.label),
    link.kind === 'view' ? 'view-only' : 'control',
    timeAgo(link.createdAt, options.now),
    link.lastSeenAt ? timeAgo(link.lastSeenAt, options.now) : { text: 'never', style: colors.dim },
    link.revokedAt ? { text: 'revoked', style: colors.dim } : link.connections > 0 ? { text: String(link.connections), style: colors.green } : '0',
  ]);
  return formatTable(['ID', 'LABEL', 'KIND', 'CREATED', 'LAST SEEN', 'LIVE'], rows, {
    headerStyle: colors.bold,
    maxWidth: options.width,
    shrink: 1,
    alignRight: [5],
  });
}

/** One line: where the relay is and whether the daemon holds its connection. */
export function relayLine(relay: RelayStatus, colors: Palette): string {
  if (!relay.enabled) return `${colors.dim('off')} (\`vibe connect\` starts one)`;
  const where = relay.embedded ? `embedded on ${relay.embedded.host}:${relay.embedded.port}` : escapeText(relay.url ?? '');
  const state = relay.connected ? colors.green('connected') : colors.yellow(`not connected${relay.lastError ? `: ${escapeText(relay.lastError)}` : ''}`);
  return `${where}, ${state}, secrets in the ${relay.secretStore === 'keychain' ? 'OS keychain' : '0600 file'}`;
}

/** The one-line warning for an embedded relay that listens beyond this machine. */
export function lanWarning(relay: RelayStatus): string | undefined {
  const host = relay.embedded?.host;
  if (!host || host === 'localhost' || host === '::1' || host.startsWith('127.')) return undefined;
  return `warning: the embedded relay listens on ${host}:${relay.embedded!.port}, reachable from the network — traffic is end-to-end encrypted, but anyone there can reach the relay (use --relay with TLS for the internet)`;
}
