// Files between the browser and a task's worktree, in real Chromium through the embedded relay: a file picked
// in the page lands byte for byte in the worktree and downloads back byte for byte; a folder that leads out of
// the worktree is refused and nothing is written anywhere.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../../cli/test/relay-fixtures.js';
import { Browsers } from './browser.js';
import { Owner, type Link } from './owner.js';
import { openTask } from './views.js';

const browsers = new Browsers();
let owner: Owner;
let control: Link;

beforeAll(async () => {
  [owner] = await Promise.all([Owner.start(), browsers.launch()]);
  control = await owner.link();
}, 60_000);
afterEach(() => browsers.closePages());
afterAll(async () => {
  await browsers.close();
  await owner?.dispose();
});

/** Every file under `dir` whose name is `name`, at any depth. */
function findAll(dir: string, name: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.split('/').pop() === name)
    .map((path) => join(dir, path));
}

describe('files', () => {
  it('uploads a 3 MiB file in chunks into the worktree and downloads it back, both byte for byte', async () => {
    const { number, session } = await owner.startTask('Take a file', 'shell');
    // Random bytes: no compression or text handling on the way could leave them intact by luck.
    const bytes = randomBytes(3 * 1024 * 1024 + 12345);
    const page = await browsers.open(control.url, { acceptDownloads: true });
    await openTask(page, number);
    await page.locator('details.files-details > summary').click();
    await page.locator('input[name=folder]').fill('incoming/data');
    await page.locator('input[data-role=upload-picker]').setInputFiles({ name: 'random.bin', mimeType: 'application/octet-stream', buffer: bytes });

    const upload = page.locator('.upload[data-path="incoming/data/random.bin"]');
    await upload.locator('.upload-state', { hasText: /^uploaded to / }).waitFor({ timeout: 30_000 });
    expect(await upload.locator('.upload-state').textContent()).toBe('uploaded to incoming/data/random.bin');
    const written = readFileSync(join(session.worktree, 'incoming', 'data', 'random.bin'));
    expect(written.length).toBe(bytes.length);
    expect(sha256(written)).toBe(sha256(bytes));

    await page.locator('form.download input[name=download]').fill('incoming/data/random.bin');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator('form.download [type=submit]').click()]);
    expect(download.suggestedFilename()).toBe('random.bin');
    const downloaded = readFileSync(await download.path());
    expect(downloaded.length).toBe(bytes.length);
    expect(sha256(downloaded)).toBe(sha256(bytes));
  });

  it('refuses an upload into a folder that leads out of the worktree, and writes nothing anywhere', async () => {
    const { number, session } = await owner.startTask('Keep out', 'shell');
    const page = await browsers.open(control.url);
    await openTask(page, number);
    await page.locator('details.files-details > summary').click();
    await page.locator('input[name=folder]').fill('../..');
    await page.locator('input[data-role=upload-picker]').setInputFiles({ name: 'escaped.txt', mimeType: 'text/plain', buffer: Buffer.from('out of bounds\n') });

    const upload = page.locator('.upload[data-path="../../escaped.txt"]');
    await upload.locator('.upload-state', { hasText: /^failed: / }).waitFor();
    expect(await upload.locator('.upload-state').textContent()).toContain('".." segment');
    expect(await upload.evaluate((item) => item.classList.contains('upload-failed'))).toBe(true);
    // Not where ../.. leads (two folders above the worktree, still inside the sandbox), nor anywhere else in it.
    expect(join(session.worktree, '..', '..').startsWith(`${owner.sandbox.dir}/`)).toBe(true);
    expect(findAll(owner.sandbox.dir, 'escaped.txt')).toEqual([]);
  });
});
