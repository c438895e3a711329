// `vibe attach` without the process around it: attach to a session, stream its screen to the terminal,
// type into it, follow resizes, and end on the detach key, the session's exit or the daemon going away.
import { FrameKind, type ControlClient, type Event, type Session } from '@vibe/protocol';
import type { SessionTarget } from '../session-ref.js';
import { findDetachKey, type DetachKey } from './detach-key.js';
import { ScreenWriter } from './screen-writer.js';
import { TerminalMode, type RawInput, type TerminalOutput } from './terminal-mode.js';

export type AttachClient = Pick<ControlClient, 'request' | 'sendFrame' | 'onFrame' | 'onEvent'>;

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

export interface AttachOptions {
  client: AttachClient;
  /** Registers a listener for the connection going away; returns its remover. */
  onDisconnect(listener: (error: Error) => void): () => void;
  target: SessionTarget;
  readOnly: boolean;
  detachKey: DetachKey;
  input: AttachInput;
  output: AttachOutput;
  /** Aborting detaches (SIGTERM, SIGHUP). */
  signal?: AbortSignal;
  /** Runs once the session is known, before the screen is taken over (to print "attached to …"). */
  onAttached?(session: Session): void;
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

/**
 * Attaches and runs until the attach ends; the terminal is given back before this returns or throws.
 * Frames that arrive with or just after the attach response, before the screen is taken over, are held
 * and written first.
 */
export async function attachSession(options: AttachOptions): Promise<AttachOutcome> {
  const { client, input, output, readOnly, detachKey } = options;
  let resolveEnded: (value: AttachEnd) => void = () => {};
  const ended = new Promise<AttachEnd>((resolve) => (resolveEnded = resolve));
  let sessionId: number | undefined;
  let screen: ScreenWriter | undefined;
  /** The first end wins; from that moment nothing more reaches the screen. */
  let over = false;
  const end = (value: AttachEnd): void => {
    over = true;
    screen?.stop();
    resolveEnded(value);
  };
  const held: Parameters<ScreenWriter['frame']>[0][] = [];
  /** Exits reported before the attach answered, by session id. */
  const exits = new Map<number, number | null>();

  const offFrame = client.onFrame((frame) => (screen ? screen.frame(frame) : held.push(frame)));
  const offEvent = client.onEvent((event: Event) => {
    if (event.name !== 'session.updated' || event.data.session.state !== 'exited') return;
    const { id, exitCode } = event.data.session;
    if (sessionId === undefined) exits.set(id, exitCode);
    else if (id === sessionId) end({ how: 'exited', exitCode });
  });
  const offDisconnect = options.onDisconnect((error) => end({ how: 'disconnected', error }));
  const onAbort = (): void => end({ how: 'detached' });
  const mode = new TerminalMode(input, output);

  const onInput = (chunk: Uint8Array): void => {
    const hit = findDetachKey(chunk, detachKey);
    const keys = hit ? chunk.subarray(0, hit.index) : chunk;
    if (!readOnly && keys.length > 0 && sessionId !== undefined) {
      try {
        client.sendFrame({ kind: FrameKind.Input, session: sessionId, seq: 0, payload: keys });
      } catch (error) {
        end({ how: 'disconnected', error: error instanceof Error ? error : new Error(String(error)) });
        return;
      }
    }
    if (hit) end({ how: 'detached' });
  };
  const onResize = (): void => {
    const size = terminalSize(output);
    if (!size || sessionId === undefined) return;
    // A lost connection ends the attach through onDisconnect; a refused size leaves the session as it was.
    client.request('session.resize', { session: sessionId, ...size }).catch(() => {});
  };

  try {
    await client.request('events.subscribe', { names: ['session.updated'] });
    const size = terminalSize(output);
    const attached = await client.request('session.attach', { ...options.target, ...(readOnly && { readOnly: true }), ...(size && { size }) });
    const session = attached.session;
    sessionId = session.id;
    if (session.state === 'exited' || exits.has(session.id)) {
      return { how: 'exited', exitCode: exits.get(session.id) ?? session.exitCode, session };
    }
    // It may have ended already (an exit event, a lost connection): then the screen is not taken over at all.
    if (over) return { ...(await ended), session };
    options.onAttached?.(session);
    mode.enter();
    screen = new ScreenWriter({
      output,
      session: session.id,
      offset: attached.offset,
      ack: (seq) => {
        try {
          client.sendFrame({ kind: FrameKind.Ack, session: session.id, seq, payload: new Uint8Array(0) });
        } catch {
          // The connection is gone; onDisconnect ends the attach.
        }
      },
    });
    for (const frame of held.splice(0)) screen.frame(frame);
    input.on('data', onInput);
    if (!readOnly) output.on('resize', onResize);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort);
    return { ...(await ended), session };
  } finally {
    // Stop writing before giving the terminal back: a late frame must not land on the user's shell screen.
    screen?.stop();
    offFrame();
    offEvent();
    offDisconnect();
    options.signal?.removeEventListener('abort', onAbort);
    input.off('data', onInput);
    output.off('resize', onResize);
    mode.restore();
  }
}
