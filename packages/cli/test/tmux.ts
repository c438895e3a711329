// A tmux server of the test's own, on a socket in a temp dir, for running `vibe attach` in a real terminal
// and reading the screen it draws. Never the user's tmux server, nor the daemon's.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

export interface PaneState {
  alternateOn: boolean;
  cursorVisible: boolean;
  mouseAny: boolean;
  keypadCursor: boolean;
}

export class TmuxServer {
  readonly socket: string;

  constructor(dir: string, private readonly env: Record<string, string>) {
    this.socket = join(dir, 't.sock');
  }

  /** An exact target: a bare `-t w1` may pick another session whose name merely starts alike. */
  private static target(name: string): string {
    return `=${name}:`;
  }

  private tmux(args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { env: this.env, encoding: 'utf8' });
  }

  /** Starts a 100x30 window named `name` running `argv` in `cwd`; when the program ends the pane stays, showing its last screen. */
  start(name: string, argv: string[], cwd: string, size = { cols: 100, rows: 30 }): void {
    const quoted = argv.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ');
    // After the command: its exit status and the terminal's line discipline (raw mode left on shows as -icanon).
    const script = `${quoted}; echo "[exit $?]"; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\{0,1\\}icanon'; sleep 3600`;
    this.tmux(['new-session', '-d', '-s', name, '-x', String(size.cols), '-y', String(size.rows), '-c', cwd, 'sh', '-c', script]);
  }

  /** The visible screen of a window, trailing blank lines removed. */
  screen(name: string): string {
    return this.tmux(['capture-pane', '-p', '-t', TmuxServer.target(name)]).replace(/\n+$/, '');
  }

  /** Types into a window: tmux key names (`C-]`, `Enter`) or, with literal, exact text. */
  keys(name: string, keys: string[], { literal = false } = {}): void {
    this.tmux(['send-keys', '-t', TmuxServer.target(name), ...(literal ? ['-l'] : []), ...keys]);
  }

  resize(name: string, cols: number, rows: number): void {
    this.tmux(['resize-window', '-t', TmuxServer.target(name), '-x', String(cols), '-y', String(rows)]);
  }

  state(name: string): PaneState {
    const format = '#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{keypad_cursor_flag}';
    const [alternate, cursor, mouse, keypad] = this.tmux(['display-message', '-p', '-t', TmuxServer.target(name), format]).trim().split(' ');
    return { alternateOn: alternate === '1', cursorVisible: cursor === '1', mouseAny: mouse === '1', keypadCursor: keypad === '1' };
  }

  /** Waits until the window's screen matches; the last screen goes in the error. */
  async waitForScreen(name: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen(name);
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in window ${name}; the screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits until the window shows something on the alternate screen: `vibe attach` took over and drew the session. */
  async waitForAttach(name: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.state(name).alternateOn && /\S/.test(this.screen(name)))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for vibe attach in window ${name}; the screen:\n${this.screen(name)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server'], { stdio: 'ignore' });
  }
}
