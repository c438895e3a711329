// The attach bench's floor, daemon side: the least a daemon can do between a client and a tmux session. For
// each connection it starts `tmux attach` in a pty (node-pty, as vibe's daemon does) and passes bytes both
// ways: no protocol, framing, scrollback, thread or flow control. What the bench measures through it is the
// cost of the processes and ptys on the path alone, the figure no daemon of this shape beats. It listens where
// vibe's daemon is reached: on a unix socket (a local client) and on TCP at 127.0.0.1 (the relay, which vibe's
// daemon reaches over TCP).
// Usage: node daemon.mjs SOCKET TMUX_SOCKET SESSION   (prints `listening PORT`, the TCP port)
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

const pty = createRequire(import.meta.url)('node-pty');
const [socketPath, tmuxSocket, session] = process.argv.slice(2);

const serve = (connection) => {
  const attach = pty.spawn('tmux', ['-S', tmuxSocket, 'attach', '-t', session], { name: 'tmux-256color', cols: 120, rows: 40, encoding: null });
  attach.onData((bytes) => connection.write(bytes));
  connection.on('data', (bytes) => {
    try {
      writeSync(attach.fd, bytes); // straight to write(2), as vibe's daemon writes input
    } catch {
      attach.write(bytes);
    }
  });
  connection.on('error', () => {});
  connection.on('close', () => attach.kill());
};
createServer(serve).listen(socketPath, () => {
  const tcp = createServer((connection) => {
    connection.setNoDelay(true);
    serve(connection);
  });
  tcp.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${tcp.address().port}\n`));
});
