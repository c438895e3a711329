// The attach bench's floor, relay side: a TCP pass-through on 127.0.0.1 to the floor daemon's TCP port (vibe's
// daemon, too, reaches its relay over TCP), with no WebSocket framing and no encryption — the hop a relay adds,
// and nothing else.
// Usage: node relay.mjs DAEMON_PORT   (prints the port it listens on)
import { connect, createServer } from 'node:net';

const daemonPort = Number(process.argv[2]);
const server = createServer((client) => {
  client.setNoDelay(true);
  const daemon = connect(daemonPort, '127.0.0.1');
  daemon.setNoDelay(true);
  client.on('data', (bytes) => daemon.write(bytes));
  daemon.on('data', (bytes) => client.write(bytes));
  for (const [a, b] of [[client, daemon], [daemon, client]]) {
    a.on('error', () => {});
    a.on('close', () => b.destroy());
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
