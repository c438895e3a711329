// Asks the kernel how many typed bytes wait unread on a terminal's ttys (FIONREAD): Node cannot ioctl, perl can.
//
// Input to a tmux session crosses two ttys: the daemon's attach client's, which the tmux server reads at
// once, and the pane's, which the program reads. What the pane's tty will not take, tmux keeps, without a
// limit or a way to ask how much. But tmux writes to the pane whenever the pane's tty has room, so while the
// program reads nothing that tty stays full. Both ttys empty means tmux holds nothing either: everything
// typed before has been read. The script looks twice, 20 ms apart, so bytes tmux was carrying from one tty
// to the other during the first look are seen in the second.
import type { RunResult } from './processes.js';

/** The whole script; the tty paths are its arguments. Prints the bytes counted over both looks, exits non-zero if it cannot tell. */
export const UNREAD_SCRIPT = [
  'use Fcntl;',
  "my $request = $^O eq 'linux' ? 0x541B : 0x4004667F;", // FIONREAD: Linux, and the BSDs and macOS
  'my @ttys;',
  'for my $path (@ARGV) { sysopen(my $tty, $path, O_RDONLY | O_NOCTTY | O_NONBLOCK) or exit 2; push @ttys, $tty; }',
  'my $unread = 0;',
  'for my $look (0, 1) {',
  '  select(undef, undef, undef, 0.02) if $look;',
  "  for my $tty (@ttys) { my $n = pack('i', 0); ioctl($tty, $request, $n) or exit 3; $unread += unpack('i', $n); }",
  '}',
  'print "$unread\\n";',
].join('\n');

/** A tty path as tmux and node-pty name them (/dev/pts/3, /dev/ttys003). */
const TTY_PATH = /^\/dev\/[A-Za-z0-9/]+$/;

/** perl's argv for `ttys`; undefined when one of them is not a tty path. */
export function unreadProbeArgs(ttys: readonly string[]): string[] | undefined {
  if (ttys.length === 0 || !ttys.every((tty) => TTY_PATH.test(tty))) return undefined;
  return ['-e', UNREAD_SCRIPT, '--', ...ttys];
}

/** The bytes the script counted, or undefined when it could not tell (no perl, a tty gone). */
export function parseUnread(result: RunResult): number | undefined {
  const count = /^(\d+)\n?$/.exec(result.stdout);
  return result.code === 0 && count ? Number(count[1]) : undefined;
}
