// Uploads under way: each a private partial file in the daemon's data directory that grows chunk by chunk,
// in order, and moves into the worktree only once every byte has arrived.
import { mkdirSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ProtocolError, type MethodParams, type MethodResult } from '@vibe/protocol';
import type { Logger } from '../logger.js';
import { placeFile } from './placement.js';
import { checkRelativePath, openRoot, planWrite, type WorktreeRef } from './worktree-path.js';

export interface UploadsOptions {
  /** The private directory for partial files (`<data>/uploads`); emptied at start and stop. */
  dir: string;
  logger: Logger;
  /** Uploads under way at once, daemon-wide. */
  maxUploads?: number;
  /** An upload no chunk has reached for this long is dropped. */
  idleMs?: number;
  now?: () => number;
}

interface Upload {
  id: string;
  /** The worktree as the store names it: a chunk for another attempt is not this upload. */
  worktree: string;
  path: string;
  size: number;
  overwrite: boolean;
  received: number;
  /** Its partial file exists: its first chunk passed every check. */
  created: boolean;
  partial: string;
  touchedAt: number;
  /** Its chunks, completion and cancel run one after another, so pipelined chunks land in order. */
  tail: Promise<unknown>;
}

type WriteParams = Pick<MethodParams<'file.write'>, 'path' | 'upload' | 'offset' | 'data' | 'size' | 'last' | 'overwrite'>;

const DEFAULT_MAX_UPLOADS = 8;
const DEFAULT_IDLE_MS = 60 * 60 * 1000;

export class Uploads {
  private readonly uploads = new Map<string, Upload>();
  private readonly maxUploads: number;
  private readonly idleMs: number;
  private readonly now: () => number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: UploadsOptions) {
    this.maxUploads = options.maxUploads ?? DEFAULT_MAX_UPLOADS;
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.now = options.now ?? Date.now;
  }

  /** Makes the directory, dropping partials a previous run left (nothing remembers them), and starts sweeping. */
  start(): void {
    rmSync(this.options.dir, { recursive: true, force: true });
    mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
    const sweep = (): void => {
      this.sweep().catch((error: unknown) => this.options.logger.warn('sweeping idle uploads failed', { error }));
    };
    this.sweeper = setInterval(sweep, Math.min(this.idleMs, 5 * 60 * 1000));
    this.sweeper.unref();
  }

  /** How many uploads are under way. */
  get size(): number {
    return this.uploads.size;
  }

  /**
   * Takes one chunk. A new upload is known at once (so a second chunk sent before the first is answered
   * waits behind it), but its partial file is made only once the first chunk passed every check — path,
   * worktree, target, sizes — and a refused first chunk leaves no trace. A chunk of an upload under way must
   * continue it exactly where it stands.
   */
  async write(worktree: WorktreeRef, params: WriteParams): Promise<MethodResult<'file.write'>> {
    const segments = checkRelativePath(params.path);
    const data = Buffer.from(params.data, 'base64');
    const known = this.uploads.get(params.upload);
    if (known === undefined) checkChunk(params, 0, data.length);
    const upload = known ?? this.begin(worktree, params, segments.join('/'));
    return this.serially(upload, async () => {
      try {
        return await this.append(upload, worktree, params, segments, data);
      } catch (error) {
        // A first chunk refused before its partial file existed: as if the upload had never begun.
        if (!upload.created && this.uploads.get(upload.id) === upload) this.uploads.delete(upload.id);
        throw error;
      }
    });
  }

  /** Drops an upload and its partial file; not_found when no upload has that id (completed ones included). */
  async cancel(id: string): Promise<void> {
    const upload = this.uploads.get(id);
    if (upload === undefined) throw new ProtocolError('not_found', `no upload ${id} under way`);
    await this.serially(upload, () => this.discard(upload));
  }

  /** Drops uploads idle past the limit; returns how many. */
  async sweep(): Promise<number> {
    const idle = [...this.uploads.values()].filter((upload) => this.now() - upload.touchedAt > this.idleMs);
    for (const upload of idle) {
      this.options.logger.info('dropping an idle upload', { upload: upload.id, path: upload.path, received: upload.received, size: upload.size });
      await this.serially(upload, () => this.discard(upload));
    }
    return idle.length;
  }

  /** Stops sweeping and removes every partial file: no later run could resume them. */
  dispose(): void {
    clearInterval(this.sweeper);
    this.uploads.clear();
    rmSync(this.options.dir, { recursive: true, force: true });
  }

  private begin(worktree: WorktreeRef, params: WriteParams, path: string): Upload {
    if (this.uploads.size >= this.maxUploads) {
      throw new ProtocolError('busy', `${this.uploads.size} uploads are under way, the most the daemon takes at once; finish or cancel one (file.cancel) first`);
    }
    const upload: Upload = {
      id: params.upload,
      worktree: worktree.path,
      path,
      size: params.size,
      overwrite: params.overwrite ?? false,
      received: 0,
      created: false,
      partial: join(this.options.dir, params.upload),
      touchedAt: this.now(),
      tail: Promise.resolve(),
    };
    this.uploads.set(upload.id, upload);
    return upload;
  }

  private async append(upload: Upload, worktree: WorktreeRef, params: WriteParams, segments: string[], data: Buffer): Promise<MethodResult<'file.write'>> {
    const path = segments.join('/');
    if (this.uploads.get(upload.id) !== upload) {
      // Completed, cancelled or swept while this chunk waited its turn: as for any unknown upload.
      throw new ProtocolError('conflict', `upload ${upload.id} is no longer under way; start again from offset 0`, { received: 0 });
    }
    if (upload.worktree !== worktree.path || upload.path !== path || upload.size !== params.size || upload.overwrite !== (params.overwrite ?? false)) {
      throw new ProtocolError('conflict', `upload ${upload.id} is writing ${upload.path} (${upload.size} bytes) into another worktree or with other options; choose a new upload id`, {
        upload: upload.id,
        path: upload.path,
        size: upload.size,
      });
    }
    checkChunk(params, upload.received, data.length);
    if (!upload.created) await planWrite(await openRoot(worktree), segments, upload.overwrite);
    await this.writeAt(upload, data);
    upload.received += data.length;
    upload.touchedAt = this.now();
    if (upload.received < upload.size) return { received: upload.received, done: false, path };
    await this.complete(upload, worktree);
    return { received: upload.received, done: true, path };
  }

  private async writeAt(upload: Upload, data: Buffer): Promise<void> {
    // 'wx' for the first chunk: a partial file of the same name is never someone else's to append to.
    const handle = await open(upload.partial, upload.created ? 'r+' : 'wx', 0o600);
    upload.created = true;
    try {
      await handle.write(data, 0, data.length, upload.received);
    } catch (error) {
      await this.discard(upload);
      throw error;
    } finally {
      await handle.close();
    }
  }

  /** Checks the target again (the worktree may have changed since the first chunk) and moves the file in. */
  private async complete(upload: Upload, worktree: WorktreeRef): Promise<void> {
    try {
      const segments = checkRelativePath(upload.path);
      const plan = await planWrite(await openRoot(worktree), segments, upload.overwrite);
      await placeFile(plan, upload.partial, upload.path, upload.overwrite);
      this.uploads.delete(upload.id);
    } catch (error) {
      await this.discard(upload);
      if (error instanceof ProtocolError) {
        throw new ProtocolError(error.code, `${error.message} (the upload was discarded)`, error.data, { cause: error });
      }
      throw error;
    }
  }

  private async discard(upload: Upload): Promise<void> {
    if (this.uploads.get(upload.id) === upload) this.uploads.delete(upload.id);
    await rm(upload.partial, { force: true });
  }

  private serially<T>(upload: Upload, work: () => Promise<T>): Promise<T> {
    const run = upload.tail.then(work);
    upload.tail = run.catch(() => undefined);
    return run;
  }
}

/**
 * A chunk must start at the bytes received so far (`conflict` with `received`, so a client can resume), stay
 * within the size, and reach it when marked last (`invalid_params`; nothing is kept of a refused chunk).
 */
function checkChunk(params: WriteParams, received: number, length: number): void {
  if (params.offset !== received) {
    throw new ProtocolError('conflict', `upload ${params.upload} has ${received} bytes; send the chunk at offset ${received}, not ${params.offset}`, { received });
  }
  if (received + length > params.size) {
    throw new ProtocolError('invalid_params', `the chunk would take ${params.path} to ${received + length} bytes, past its size of ${params.size}`, { received, size: params.size });
  }
  if (params.last && received + length !== params.size) {
    throw new ProtocolError('invalid_params', `the last chunk leaves ${params.path} at ${received + length} of its ${params.size} bytes`, { received, size: params.size });
  }
}
