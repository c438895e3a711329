// Counters the relay keeps for /metrics, written out in the Prometheus text format (version 0.0.4).

export type Direction = 'to_daemon' | 'to_client';

export interface Gauges {
  daemons: number;
  clients: number;
  remoteClients: number;
  redisUp: number | undefined;
}

export class Metrics {
  readonly bytes = { to_daemon: 0, to_client: 0 };
  readonly messages = { to_daemon: 0, to_client: 0 };
  readonly drops = new Map<string, number>();
  readonly handshakes = new Map<string, number>();
  readonly closes = new Map<number, number>();
  rateLimited = 0;

  forwarded(direction: Direction, bytes: number): void {
    this.bytes[direction] += bytes;
    this.messages[direction]++;
  }

  drop(reason: string): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
  }

  handshake(role: 'daemon' | 'client', result: string): void {
    const key = `role="${role}",result="${result}"`;
    this.handshakes.set(key, (this.handshakes.get(key) ?? 0) + 1);
  }

  closed(code: number): void {
    this.closes.set(code, (this.closes.get(code) ?? 0) + 1);
  }

  render(gauges: Gauges): string {
    const lines: string[] = [];
    const family = (name: string, type: 'counter' | 'gauge', help: string, samples: Array<[string, number]>): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
    };
    family('vibe_relay_connections', 'gauge', 'Open WebSocket connections on this relay.', [
      ['role="daemon"', gauges.daemons],
      ['role="client"', gauges.clients],
    ]);
    family('vibe_relay_remote_clients', 'gauge', 'Clients on other relays routed to daemons on this one.', [['', gauges.remoteClients]]);
    family('vibe_relay_bytes_total', 'counter', 'Payload bytes forwarded.', [
      ['direction="to_daemon"', this.bytes.to_daemon],
      ['direction="to_client"', this.bytes.to_client],
    ]);
    family('vibe_relay_messages_total', 'counter', 'Messages forwarded.', [
      ['direction="to_daemon"', this.messages.to_daemon],
      ['direction="to_client"', this.messages.to_client],
    ]);
    family('vibe_relay_drops_total', 'counter', 'Messages or connections dropped, by reason.', [...this.drops].map(([reason, n]) => [`reason="${reason}"`, n]));
    family('vibe_relay_handshakes_total', 'counter', 'WebSocket handshakes and daemon registrations, by outcome.', [...this.handshakes]);
    family('vibe_relay_rate_limited_total', 'counter', 'Upgrades refused with HTTP 429 by the per-address rate limit.', [['', this.rateLimited]]);
    family('vibe_relay_closes_total', 'counter', 'Connections the relay closed, by close code.', [...this.closes].map(([code, n]) => [`code="${code}"`, n]));
    if (gauges.redisUp !== undefined) family('vibe_relay_redis_up', 'gauge', '1 while the Redis connection is ready.', [['', gauges.redisUp]]);
    const memory = process.memoryUsage();
    family('process_resident_memory_bytes', 'gauge', 'Resident set size.', [['', memory.rss]]);
    family('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', [['', memory.heapUsed]]);
    return `${lines.join('\n')}\n`;
  }
}
