// Files between this device and a task attempt's worktree: uploads in chunks (up to 50 MB each) with progress
// and cancel, downloads in chunks saved through the browser. The daemon checks every path against the worktree.
import type { ControlClient } from '@vibe/protocol';
import { errorText, h, toast } from './dom.js';

/** Raw bytes per chunk: base64 makes it a third larger, well under the 1 MiB message limit. */
export const CHUNK_BYTES = 256 * 1024;
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export interface FileTarget {
  project: string;
  number: number;
  attempt?: number;
}

/** The live client, or an error saying the page is offline: uploads pause rather than fail on a reconnect. */
export type ClientSource = () => ControlClient | undefined;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function uploadId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_');
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Uploads one file to `path` (relative to the worktree). Resolves with the worktree path written; rejects
 * with the daemon's reason, or "cancelled". A lost connection waits for the next one and resumes at the
 * offset the daemon says it holds.
 */
export async function uploadFile(clientOf: ClientSource, target: FileTarget, file: File, path: string, progress: (sent: number) => void, signal: AbortSignal, overwrite = false): Promise<string> {
  if (file.size > MAX_UPLOAD_BYTES) throw new Error(`${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the limit is 50 MB`);
  const upload = uploadId();
  let offset = 0;
  try {
    do {
      if (signal.aborted) throw new Error('cancelled');
      const client = clientOf();
      if (!client) {
        await wait(500);
        continue;
      }
      const end = Math.min(file.size, offset + CHUNK_BYTES);
      const chunk = new Uint8Array(await file.slice(offset, end).arrayBuffer());
      try {
        const result = await client.request('file.write', { ...target, path, upload, offset, data: toBase64(chunk), size: file.size, last: end === file.size, ...(overwrite && { overwrite: true }) });
        offset = result.received;
        progress(offset);
        if (result.done) return result.path;
      } catch (error) {
        const received = (error as { data?: { received?: unknown } }).data?.received;
        // The daemon holds a different amount than we thought (a chunk answered on a lost connection): go on from there.
        if ((error as { code?: string }).code === 'conflict' && typeof received === 'number') offset = received;
        else if (clientOf() === client) throw error;
      }
    } while (offset <= file.size);
    throw new Error('the upload ended short');
  } catch (error) {
    clientOf()?.request('file.cancel', { upload }).catch(() => {});
    throw error;
  }
}

/** Reads a worktree file in chunks and hands it to the browser as a download. */
export async function downloadFile(client: ControlClient, target: FileTarget, path: string, progress?: (received: number, size: number) => void): Promise<Blob> {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    const chunk = await client.request('file.read', { ...target, path, offset });
    const bytes = fromBase64(chunk.data);
    parts.push(bytes);
    offset += bytes.length;
    progress?.(offset, chunk.size);
    if (chunk.eof || bytes.length === 0) break;
  }
  return new Blob(parts as BlobPart[]);
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = h('a', { href: url, download: name });
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The files panel: drop or pick files to upload (into a folder of the worktree), and download by path. */
export function renderFilesPanel(clientOf: ClientSource, target: FileTarget, readOnly: boolean): HTMLElement {
  const list = h('ul', { class: 'uploads' });
  const folder = h('input', { name: 'folder', placeholder: 'folder in the worktree (optional)', autocomplete: 'off', 'aria-label': 'Upload into folder' });
  const picker = h('input', { type: 'file', multiple: true, hidden: true, 'data-role': 'upload-picker' });
  const start = (files: FileList | File[]): void => {
    for (const file of Array.from(files)) startUpload(file);
  };
  const startUpload = (file: File): void => {
    const path = [folder.value.trim().replace(/^\/+|\/+$/g, ''), file.name].filter(Boolean).join('/');
    const controller = new AbortController();
    const bar = h('progress', { max: Math.max(1, file.size), value: 0 });
    const label = h('span', { class: 'upload-state' }, 'uploading…');
    const cancel = h('button', { class: 'button button-small', type: 'button', onclick: () => controller.abort() }, 'Cancel');
    const item = h('li', { class: 'upload', 'data-path': path }, h('span', { class: 'upload-name' }, path), bar, label, cancel);
    list.prepend(item);
    uploadFile(clientOf, target, file, path, (sent) => (bar.value = sent), controller.signal).then(
      (written) => {
        bar.value = file.size;
        label.textContent = `uploaded to ${written}`;
        item.classList.add('upload-done');
        cancel.remove();
      },
      (error: unknown) => {
        label.textContent = errorText(error) === 'cancelled' ? 'cancelled' : `failed: ${errorText(error)}`;
        item.classList.add('upload-failed');
        cancel.remove();
      },
    );
  };
  picker.addEventListener('change', () => {
    if (picker.files) start(picker.files);
    picker.value = '';
  });
  const drop = h(
    'div',
    {
      class: 'dropzone',
      tabindex: 0,
      role: 'button',
      'aria-label': 'Upload files',
      onclick: () => picker.click(),
      ondragover: (event: Event) => {
        event.preventDefault();
        drop.classList.add('dragging');
      },
      ondragleave: () => drop.classList.remove('dragging'),
      ondrop: (event: Event) => {
        event.preventDefault();
        drop.classList.remove('dragging');
        const files = (event as DragEvent).dataTransfer?.files;
        if (files) start(files);
      },
    },
    'Drop files here, or tap to choose (up to 50 MB each)',
  );
  const downloadPath = h('input', { name: 'download', placeholder: 'path/in/worktree.txt', autocomplete: 'off', 'aria-label': 'File to download' });
  const download = (event: Event): void => {
    event.preventDefault();
    const client = clientOf();
    const path = downloadPath.value.trim();
    if (!client || !path) return;
    downloadFile(client, target, path).then(
      (blob) => saveBlob(blob, path.split('/').pop() ?? 'download'),
      (error: unknown) => toast(`Download failed: ${errorText(error)}`, 'error'),
    );
  };
  return h(
    'section',
    { class: 'files' },
    !readOnly && h('h3', {}, 'Upload'),
    !readOnly && folder,
    !readOnly && drop,
    !readOnly && picker,
    list,
    h('h3', {}, 'Download'),
    h('form', { class: 'download', onsubmit: download }, downloadPath, h('button', { class: 'button', type: 'submit' }, 'Download')),
  );
}
