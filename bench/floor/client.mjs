// The attach bench's floor, client side: the terminal in raw mode, bytes to and from a socket (the floor
// daemon's unix socket, or the floor relay's TCP port). Ends when the socket does.
// Usage: node client.mjs SOCKET | PORT
import { connect } from 'node:net';

const [target] = process.argv.slice(2);
const socket = /^\d+$/.test(target) ? connect(Number(target), '127.0.0.1') : connect(target);
socket.setNoDelay?.(true);
process.stdin.setRawMode(true);
process.stdin.on('data', (bytes) => socket.write(bytes));
socket.on('data', (bytes) => process.stdout.write(bytes));
socket.on('close', () => process.exit(0));
socket.on('error', (error) => {
  process.stderr.write(`floor client: ${error.message}\n`);
  process.exit(1);
});
