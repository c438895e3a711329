// A live session terminal in xterm.js: the current screen at once (the daemon's snapshot, terminal modes
// included), then live output; resumed from the last byte shown after a reconnect, or repainted from a new
// snapshot when those bytes are gone — never a gap or a repeat. The session follows this page's size only once
// this page types into it: opening a terminal to look never reflows someone else's.
import { FitAddon } from '@xterm/addon-fit';
import { WebglAddon } from '@xterm/addon-webgl';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { FrameKind, ProtocolError, ScreenWriter, type ControlClient, type Frame, type Session } from '@vibe/protocol';
import type { Connection } from './connection.js';
import { errorText, h, toast } from './dom.js';
import { Modifiers, renderKeyBar } from './keybar.js';

const encoder = new TextEncoder();
const SCROLLBACK_LINES = 5000;
/** Most characters kept from typing before the terminal first opened. */
const EARLY_INPUT_MAX = 4096;

export interface TerminalViewOptions {
  connection: Connection;
  session: number;
  readOnly: boolean;
  /** Session state changes from the board's event stream. */
  onSessionChange?: (session: Session) => void;
}

export class TerminalView {
  readonly element: HTMLElement;
  private readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly modifiers = new Modifiers();
  private writer: ScreenWriter | undefined;
  private stream: string | undefined;
  private held: Frame[] | undefined = [];
  private client: ControlClient | undefined;
  private current: Session | undefined;
  /** This page typed into the session, so the session takes this page's size — until another client sets one. */
  private driving = false;
  /** Keys typed before the first attach answered. */
  private early: Array<[string, boolean]> = [];
  /** The size this page last gave the session. */
  private requested: { cols: number; rows: number } | undefined;
  private disposed = false;
  private readonly cleanups: Array<() => void> = [];
  private readonly status: HTMLElement;
  private resizeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly screen: HTMLElement;
  private firstFrameMarked = false;

  constructor(private readonly options: TerminalViewOptions) {
    this.term = new Terminal({
      scrollback: SCROLLBACK_LINES,
      disableStdin: options.readOnly,
      cursorBlink: !options.readOnly,
      convertEol: false,
      allowProposedApi: false,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: window.matchMedia('(max-width: 600px)').matches ? 12 : 14,
      theme: { background: '#0b0d12', foreground: '#d8dee9', cursor: '#7cc4ff', selectionBackground: '#3b4a66' },
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(new WebLinksAddon());
    const screen = h('div', { class: 'terminal-screen', 'data-session': options.session });
    this.screen = screen;
    this.status = h('div', { class: 'terminal-status', role: 'status', 'aria-live': 'polite' });
    this.element = h(
      'div',
      { class: 'terminal' },
      this.status,
      screen,
      !options.readOnly &&
        renderKeyBar(
          {
            send: (data) => this.type(data),
            applicationCursor: () => this.term.modes.applicationCursorKeysMode,
            focus: () => this.term.focus(),
          },
          this.modifiers,
        ),
    );
    this.term.open(screen);
    this.useWebgl();
    if (!options.readOnly) {
      this.term.onData((data) => this.type(this.modifiers.apply(data)));
      this.term.onBinary((data) => this.type(data, true));
    }
    const observer = new ResizeObserver(() => this.followViewport());
    observer.observe(screen);
    this.cleanups.push(() => observer.disconnect());
    this.cleanups.push(options.connection.onLive((client) => void this.attach(client)));
    this.cleanups.push(
      options.connection.onState((state) => {
        if (state.kind === 'live') return;
        this.client = undefined;
        this.held = [];
        this.showStatus(state.kind === 'connecting' ? 'Connecting…' : state.kind === 'reconnecting' ? 'Reconnecting… output resumes where it stopped' : 'Offline');
      }),
    );
  }

  /**
   * Draws with WebGL where the browser has a GPU for it (every phone and laptop of recent years): a fast
   * terminal's rows are then a few draw calls rather than thousands of DOM nodes. WebGL rendered in software
   * (SwiftShader, llvmpipe: a machine without a GPU) is slower than the DOM renderer, which also takes over
   * when the GPU drops the context.
   */
  private useWebgl(): void {
    if (!hardwareWebgl()) return;
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => webgl.dispose());
      this.term.loadAddon(webgl);
    } catch {
      // No WebGL2 here: the DOM renderer stays.
    }
  }

  /** The session this terminal shows. */
  get session(): number {
    return this.options.session;
  }

  focus(): void {
    this.term.focus();
  }

  get selection(): string {
    return this.term.getSelection();
  }

  paste(text: string): void {
    if (!this.options.readOnly) this.term.paste(text);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.writer?.stop();
    clearTimeout(this.resizeTimer);
    for (const cleanup of this.cleanups) cleanup();
    if (this.client) this.client.request('session.detach', { session: this.options.session }).catch(() => {});
    this.term.dispose();
  }

  /** The session changed (from the event stream): a size set by whoever types, or its end. */
  sessionChanged(session: Session): void {
    if (session.id !== this.options.session) return;
    this.current = session;
    // Someone else typed and sized the session to their screen: they drive now, and this page follows.
    if (this.driving && this.requested && (session.cols !== this.requested.cols || session.rows !== this.requested.rows)) this.driving = false;
    if (!this.driving && (session.cols !== this.term.cols || session.rows !== this.term.rows)) this.term.resize(session.cols, session.rows);
    if (session.state === 'exited') this.showStatus(`The agent exited${session.exitCode === null ? '' : ` with code ${session.exitCode}`}. Start the task again to continue.`);
  }

  private async attach(client: ControlClient): Promise<void> {
    this.client = client;
    this.held = [];
    const offFrame = client.onFrame((frame) => {
      if (frame.session !== this.options.session) return;
      if (this.held) this.held.push(frame);
      else this.writer?.frame(frame);
    });
    this.cleanups.push(offFrame);
    const resume = this.writer && this.stream ? { stream: this.stream, offset: this.writer.offset } : undefined;
    try {
      const attached = await client.request('session.attach', {
        session: this.options.session,
        ...(this.options.readOnly && { readOnly: true }),
        ...(this.driving && { size: (this.requested = this.fittedSize()) }),
        ...(resume && { resume }),
      });
      if (this.disposed || this.client !== client) return;
      this.current = attached.session;
      if (!this.writer || attached.snapshot || attached.stream !== this.stream) {
        this.writer?.stop();
        // A snapshot repaints the whole screen, modes included; whatever was shown before is replaced.
        this.term.reset();
        if (!this.driving) this.term.resize(attached.session.cols, attached.session.rows);
        this.writer = new ScreenWriter({
          output: { write: (bytes, done) => this.term.write(bytes, () => this.written(done)) },
          session: this.options.session,
          offset: attached.offset,
          ack: (seq) => this.sendFrame({ kind: FrameKind.Ack, session: this.options.session, seq, payload: new Uint8Array(0) }),
          onGap: () => void this.reattach(client),
        });
      }
      this.stream = attached.stream;
      const early = this.held ?? [];
      this.held = undefined;
      for (const frame of early) this.writer.frame(frame);
      this.showStatus('');
      for (const [text, binary] of this.early.splice(0)) this.type(text, binary);
      if (attached.session.state === 'exited') this.sessionChanged(attached.session);
    } catch (error) {
      if (this.client !== client) return;
      const gone = error instanceof ProtocolError && error.code === 'not_found';
      this.showStatus(gone ? 'This session is gone.' : `Could not open the terminal: ${errorText(error)}`);
    }
  }

  /**
   * xterm took a frame. The first one marks `vibe-first-frame` (the benchmarks read it); the offset shown so far
   * is kept on the screen element for the same reason and for tests, at no cost worth counting.
   */
  private written(done: () => void): void {
    done();
    if (!this.firstFrameMarked) {
      this.firstFrameMarked = true;
      performance.mark('vibe-first-frame');
    }
    if (this.writer) this.screen.dataset.offset = String(this.writer.offset);
  }

  /** Output skipped bytes: attach again from the last byte written (frames wait meanwhile). */
  private async reattach(client: ControlClient): Promise<void> {
    if (this.held || this.client !== client) return;
    await this.attach(client);
  }

  private type(data: string, binary = false): void {
    if (this.options.readOnly || !data) return;
    if (!this.writer) {
      // Typed before the terminal first opened (a fast typist, a paste): sent once it has, in order.
      if (this.early.reduce((sum, [text]) => sum + text.length, 0) + data.length <= EARLY_INPUT_MAX) this.early.push([data, binary]);
      return;
    }
    // While reconnecting, keys have nowhere to go; the status line says so.
    if (!this.client || this.held) return;
    if (!this.driving) {
      this.driving = true;
      this.followViewport(true);
    }
    const payload = binary ? Uint8Array.from(data, (char) => char.charCodeAt(0) & 0xff) : encoder.encode(data);
    this.sendFrame({ kind: FrameKind.Input, session: this.options.session, seq: 0, payload });
  }

  private sendFrame(frame: Frame): void {
    try {
      this.client?.sendFrame(frame);
    } catch {
      // The connection went away; its close listener reconnects and resumes.
    }
  }

  private fittedSize(): { cols: number; rows: number } {
    const proposed = this.fit.proposeDimensions();
    const cols = Math.max(2, Math.min(1000, proposed?.cols ?? this.term.cols));
    const rows = Math.max(2, Math.min(500, proposed?.rows ?? this.term.rows));
    return { cols, rows };
  }

  /** While driving, the session takes this page's size (debounced: a phone rotating sends a burst). */
  private followViewport(now = false): void {
    if (!this.driving || this.options.readOnly) return;
    clearTimeout(this.resizeTimer);
    const apply = (): void => {
      const size = this.fittedSize();
      if (size.cols !== this.term.cols || size.rows !== this.term.rows) this.term.resize(size.cols, size.rows);
      this.requested = size;
      if (!this.client || (this.current && this.current.cols === size.cols && this.current.rows === size.rows)) return;
      this.client.request('session.resize', { session: this.options.session, ...size }).then(
        () => {
          if (this.current) this.current = { ...this.current, ...size };
        },
        (error: unknown) => toast(`Could not resize the session: ${errorText(error)}`, 'error'),
      );
    };
    if (now) apply();
    else this.resizeTimer = setTimeout(apply, 120);
  }

  private showStatus(text: string): void {
    this.status.textContent = text;
    this.status.hidden = text === '';
  }
}

/** Whether WebGL2 is there and drawn by a GPU rather than emulated on the CPU. */
function hardwareWebgl(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return !/swiftshader|llvmpipe|softpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}
