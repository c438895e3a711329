// `vibe attach` without the process around it: attach to a session, stream its screen to the terminal,
// type into it, follow resizes, and end on the detach key, the session's exit or the daemon going away —
// or, given a way to reconnect (a link), resume the terminal from the last byte written when it comes back.
import { FrameKind, ProtocolError, ScreenWriter, type ControlClient, type Event, type Frame, type Session } from '@vibe/protocol';
import type { SessionTarget } from '../session-ref.js';
import { findDetachKey, type DetachKey } from './detach-key.js';

import { TerminalMode, type RawInput, type TerminalOutput } from './terminal-mode.js';

export type AttachClient = Pick<ControlClient, 'request' | 'sendFrame' | 'onFrame' | 'onEvent'>;

/** One connection to the daemon. */
export interface AttachConnection {
  client: AttachClient;
  /** Registers a listener for the connection going away; returns its remover. */
  onDisconnect(listener: (error: Error) => void): () => void;
  close?(): void;
}

export interface AttachInput extends RawInput {
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  off(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
}

export interface AttachOutput extends TerminalOutput {
  columns?: number;
  rows?: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

/**
 * How a lost connection is replaced. While it reconnects the terminal keeps the session's screen as it was
 * (raw mode, the detach key still detaches, other keys go nowhere), so the resumed bytes continue it exactly.
 * After `holdMs` without a connection the terminal is given back, with `onGiveBack` to say why; the screen
 * is then repainted from a snapshot when the connection returns, since leaving the alternate screen lost it.
 */
export interface Reconnect {
  /** Connects again (with backoff); rejects to give up, and the attach ends as disconnected with that error. */
  connect(lost: Error, signal: AbortSignal): Promise<AttachConnection>;
  holdMs: number;
  onGiveBack(): void;
}

export interface AttachOptions extends AttachConnection {
  target: SessionTarget;
  readOnly: boolean;
  detachKey: DetachKey;
  input: AttachInput;
  output: AttachOutput;
  /** Aborting detaches (SIGTERM, SIGHUP). */
  signal?: AbortSignal;
  /** Runs once the session is known, before the screen is taken over (to print "attached to …"). */
  onAttached?(session: Session): void;
  /** Without it, a lost connection ends the attach. Connections it makes are closed here; the caller closes its own. */
  reconnect?: Reconnect;
}

export type AttachEnd = { how: 'detached' } | { how: 'exited'; exitCode: number | null } | { how: 'disconnected'; error: Error };
export type AttachOutcome = AttachEnd & { session: Session };

/** The terminal sizes session.resize accepts (TerminalSize in protocol/src/messages/session.ts). */
const COLS = { min: 2, max: 1000 };
const ROWS = { min: 2, max: 500 };

function terminalSize(output: AttachOutput): { cols: number; rows: number } | undefined {
  if (!output.columns || !output.rows) return undefined;
  const clamp = (value: number, range: { min: number; max: number }): number => Math.min(range.max, Math.max(range.min, value));
  return { cols: clamp(output.columns, COLS), rows: clamp(output.rows, ROWS) };
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Attaches and runs until the attach ends; the terminal is given back before this returns or throws.
 * Frames that arrive with or just after an attach response, before its screen is chosen, are held and
 * written first.
 */
export async function attachSession(options: AttachOptions): Promise<AttachOutcome> {
  const { input, output, readOnly, detachKey, reconnect } = options;
  let resolveEnded: (value: AttachEnd) => void = () => {};
  const ended = new Promise<AttachEnd>((resolve) => (resolveEnded = resolve));
  let session: Session | undefined;
  let stream: string | undefined;
  let screen: ScreenWriter | undefined;
  let mode = new TerminalMode(input, output);
  /** The connection in use; undefined while reconnecting. */
  let live: AttachConnection | undefined;
  let unwire = (): void => {};
  /** Frames held until the attach response in flight says which screen they belong to; undefined otherwise. */
  let held: Frame[] | undefined = [];
  /** Exits reported before the attach answered, by session id. */
  const exits = new Map<number, number | null>();
  const reconnecting = new AbortController();
  /** The first end wins; from that moment nothing more reaches the screen. */
  let over = false;
  const end = (value: AttachEnd): void => {
    if (over) return;
    over = true;
    screen?.stop();
    reconnecting.abort();
    resolveEnded(value);
  };

  const send = (frame: Frame): void => {
    if (!live) return;
    try {
      live.client.sendFrame(frame);
    } catch (error) {
      lost(asError(error));
    }
  };

  /** Listens to `connection`, which becomes the live one. */
  const wire = (connection: AttachConnection): void => {
    live = connection;
    const offFrame = connection.client.onFrame((frame) => (held ? held.push(frame) : screen?.frame(frame)));
    const offEvent = connection.client.onEvent((event: Event) => {
      if (event.name !== 'session.updated' || event.data.session.state !== 'exited') return;
      const { id, exitCode } = event.data.session;
      if (session === undefined) exits.set(id, exitCode);
      else if (id === session.id) end({ how: 'exited', exitCode });
    });
    const offDisconnect = connection.onDisconnect((error) => lost(error));
    unwire = () => {
      unwire = () => {};
      offFrame();
      offEvent();
      offDisconnect();
      if (connection !== options) connection.close?.();
      if (live === connection) live = undefined;
    };
  };

  /**
   * Attaches over the live connection, resuming after `resume` if given. A snapshot answer (the first attach,
   * an offset the daemon no longer holds, a new daemon run) starts a new screen at its offset; a resumed one
   * continues the screen as it is. Frames stay held until `release`.
   */
  const attachOver = async (resume?: { stream: string; offset: number }): Promise<void> => {
    const client = live!.client;
    held = [];
    await client.request('events.subscribe', { names: ['session.updated'] });
    const size = terminalSize(output);
    const target = session ? { session: session.id } : options.target;
    const attached = await client.request('session.attach', { ...target, ...(readOnly && { readOnly: true }), ...(size && { size }), ...(resume && { resume }) });
    session = attached.session;
    if (!screen || attached.snapshot || attached.stream !== stream) {
      screen?.stop();
      screen = new ScreenWriter({
        output,
        session: session.id,
        offset: attached.offset,
        ack: (seq) => send({ kind: FrameKind.Ack, session: session!.id, seq, payload: new Uint8Array(0) }),
        onGap: (offset) => resync(offset),
      });
    }
    stream = attached.stream;
  };
  /**
   * Output skipped bytes (never expected of a daemon, but never shown as if whole): attach again over the same
   * connection from the last byte written; frames wait meanwhile, as on a reconnect.
   */
  const resync = (offset: number): void => {
    const connection = live;
    if (over || !connection || held || stream === undefined) return;
    attachOver({ stream, offset }).then(release, (failure: unknown) => {
      if (live === connection) end({ how: 'disconnected', error: asError(failure) });
    });
  };
  /** Writes the held frames and lets the next ones through. */
  const release = (): void => {
    const early = held ?? [];
    held = undefined;
    for (const frame of early) screen!.frame(frame);
  };

  /** The terminal was given back while reconnecting: the screen must be taken over and repainted again. */
  let givenBack = false;
  /** The live connection went away: end, or hold the screen and reconnect. */
  const lost = (error: Error): void => {
    if (over || !live) return;
    unwire();
    if (!reconnect || session === undefined || stream === undefined) return end({ how: 'disconnected', error });
    const hold = setTimeout(() => {
      if (over || givenBack) return;
      givenBack = true;
      mode.restore();
      mode = new TerminalMode(input, output);
      reconnect.onGiveBack();
    }, reconnect.holdMs);
    reconnect.connect(error, reconnecting.signal).then(
      async (connection) => {
        clearTimeout(hold);
        if (over) return connection.close?.();
        wire(connection);
        try {
          if (givenBack) {
            // A blank alternate screen again, repainted by the snapshot a fresh attach brings.
            mode.enter();
            await attachOver();
            givenBack = false;
          } else await attachOver({ stream: stream!, offset: screen!.offset });
          release();
          if (session!.state === 'exited') end({ how: 'exited', exitCode: session!.exitCode });
        } catch (failure) {
          // A connection lost again is its listener's to handle; a refusal on a live one ends the attach.
          if (live !== connection) return;
          const gone = failure instanceof ProtocolError && (failure.code === 'conflict' || failure.code === 'not_found');
          end(gone ? { how: 'exited', exitCode: null } : { how: 'disconnected', error: asError(failure) });
        }
      },
      (failure: unknown) => {
        clearTimeout(hold);
        end({ how: 'disconnected', error: asError(failure) });
      },
    );
  };

  const onInput = (chunk: Uint8Array): void => {
    const hit = findDetachKey(chunk, detachKey);
    const keys = hit ? chunk.subarray(0, hit.index) : chunk;
    // Keys typed while reconnecting have nowhere to go: the session never sees them.
    if (!readOnly && keys.length > 0 && session && !held) send({ kind: FrameKind.Input, session: session.id, seq: 0, payload: keys });
    if (hit) end({ how: 'detached' });
  };
  const onResize = (): void => {
    const size = terminalSize(output);
    if (!size || !session || !live) return;
    // A lost connection is handled through onDisconnect; a refused size leaves the session as it was.
    live.client.request('session.resize', { session: session.id, ...size }).catch(() => {});
  };
  const onAbort = (): void => end({ how: 'detached' });
  const outcome = (value: AttachEnd): AttachOutcome => ({ ...value, session: session! });

  wire(options);
  try {
    await attachOver();
    const first = session!;
    if (first.state === 'exited' || exits.has(first.id)) return outcome({ how: 'exited', exitCode: exits.get(first.id) ?? first.exitCode });
    // It may have ended already (an exit event, a lost connection): then the screen is not taken over at all.
    if (over) return outcome(await ended);
    options.onAttached?.(first);
    mode.enter();
    release();
    input.on('data', onInput);
    if (!readOnly) output.on('resize', onResize);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort);
    return outcome(await ended);
  } finally {
    // Stop writing before giving the terminal back: a late frame must not land on the user's shell screen.
    over = true;
    reconnecting.abort();
    screen?.stop();
    unwire();
    options.signal?.removeEventListener('abort', onAbort);
    input.off('data', onInput);
    output.off('resize', onResize);
    mode.restore();
  }
}
