// One client reached through the relay: its E2E handshake, then a control connection over sealed records.
import { acceptClientHello, E2E_CLOSE, E2eError, RecordCipher, RELAY_HEADER_SIZE, type AeadFactory, type Identity, type LinkLookup } from '@vibe/protocol';
import type { ConnectionTransport, ControlPort, LinkAccess } from '../control/index.js';
import type { Logger } from '../logger.js';

export interface RemoteClientOptions {
  conn: number;
  identity: Identity;
  lookup: LinkLookup;
  /** The access a connection opened through this link gets. */
  access(linkId: string): LinkAccess | undefined;
  openControl(transport: ConnectionTransport, access: LinkAccess): ControlPort;
  /**
   * Sends one message to this client through the relay; `written` runs once it left the daemon. The message
   * starts with RELAY_HEADER_SIZE bytes left for the relay link's header, so it is never copied to add one.
   */
  send(message: Uint8Array, written?: () => void): void;
  /** Has the relay close this client's socket. */
  close(code: number, reason: string): void;
  onEstablished(client: RemoteClient): void;
  onEnded(client: RemoteClient): void;
  aead: AeadFactory;
  logger: Logger;
  handshakeTimeoutMs?: number;
}

const HANDSHAKE_TIMEOUT_MS = 10_000;

export class RemoteClient {
  private cipher: RecordCipher | undefined;
  private port: ControlPort | undefined;
  private ended = false;
  /** Bytes of this client's records handed to the relay socket and not yet written out. */
  private unsent = 0;
  private readonly written = (bytes: number) => (): void => {
    this.unsent -= bytes;
    // The control room holds a viewer back while its connection is full; this is that connection's drain.
    if (this.unsent === 0 && !this.ended) this.port?.drained();
  };
  private readonly timer: ReturnType<typeof setTimeout>;
  linkId: string | undefined;

  constructor(private readonly options: RemoteClientOptions) {
    this.timer = setTimeout(() => this.fail(E2E_CLOSE.timeout, 'handshake timed out'), options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
    this.timer.unref?.();
  }

  get conn(): number {
    return this.options.conn;
  }

  /** A message from the client: the hello first, then records. */
  receive(message: Uint8Array): void {
    if (this.ended) return;
    try {
      if (!this.cipher) return this.handshake(message);
      this.port!.receive(this.cipher.open(message));
    } catch (error) {
      if (!(error instanceof E2eError)) throw error;
      this.options.logger.warn('remote client refused', { conn: this.conn, link: this.linkId, reason: error.message });
      this.fail(error.closeCode, error.kind === 'revoked' ? 'link revoked or unknown' : 'authentication failed');
    }
  }

  /** The client went away (the relay said so, or the relay link dropped). */
  gone(): void {
    this.end();
  }

  /** Closes the client's connection with a close code the relay passes on (revocation: 4403). */
  close(code: number, reason: string): void {
    this.fail(code, reason);
  }

  private handshake(message: Uint8Array): void {
    const accepted = acceptClientHello(message, this.options.lookup, this.options.identity);
    const access = this.options.access(accepted.linkId);
    if (!access) throw new E2eError('revoked', `link ${accepted.linkId} was revoked`);
    this.linkId = accepted.linkId;
    clearTimeout(this.timer);
    const reply = new Uint8Array(RELAY_HEADER_SIZE + accepted.reply.length);
    reply.set(accepted.reply, RELAY_HEADER_SIZE);
    this.options.send(reply);
    this.cipher = new RecordCipher(accepted.keys, this.options.aead);
    const cipher = this.cipher;
    this.port = this.options.openControl(
      {
        write: (bytes) => {
          if (!this.ended) this.sendRecords(cipher.seal(bytes, RELAY_HEADER_SIZE));
        },
        writev: (parts) => {
          if (!this.ended) this.sendRecords(cipher.sealParts(parts, RELAY_HEADER_SIZE));
        },
        bufferedBytes: () => this.unsent,
        end: () => this.fail(1000, 'closed by the daemon'),
        destroy: () => this.fail(1000, 'closed by the daemon'),
      },
      access,
    );
    this.options.logger.info('remote client connected', { conn: this.conn, link: accepted.linkId, readOnly: access.readOnly });
    this.options.onEstablished(this);
  }

  private sendRecords(records: Uint8Array[]): void {
    for (const record of records) {
      const bytes = record.length - RELAY_HEADER_SIZE;
      this.unsent += bytes;
      this.options.send(record, this.written(bytes));
    }
  }

  private fail(code: number, reason: string): void {
    if (this.ended) return;
    this.options.close(code, reason);
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.port?.closed();
    this.options.onEnded(this);
  }
}
