import type { Cluster } from './cluster.js';
import type { RelayLogger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { RelayLimits } from './options.js';
import type { Sockets } from './sockets.js';

// What every part of the routing core shares: who this relay is, its bounds, its log and counters, its sockets
// and, with --redis, the cluster.

export interface RelayContext {
  readonly instanceId: string;
  readonly limits: RelayLimits;
  readonly logger: RelayLogger;
  readonly metrics: Metrics;
  readonly sockets: Sockets;
  readonly cluster: Cluster | undefined;
}
