// The board and task sheet in real Chromium: every action the CLI has (edit, move, start with a chosen agent,
// stop, start again with another, remove after a confirmation), an agent that starts waiting (its badge and
// the tab title), a phone's key bar (^C, sticky Ctrl) and an IME composition reaching the shell, and a page
// that loads nothing from anywhere but its relay and can be installed (manifest and icons).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../cli/test/harness.js';
import { Browsers, PHONE } from './browser.js';
import { fakeAgent, Owner, type Link } from './owner.js';
import { openTask, openTerminal, typeLine, waitForConnection, waitForScreen } from './views.js';

const browsers = new Browsers();
let owner: Owner;
let control: Link;

beforeAll(async () => {
  [owner] = await Promise.all([
    Owner.start({
      defaultAgent: 'shell',
      // Works, then asks: the moment it asks, its hook says it is waiting for the user.
      agents: { asker: fakeAgent('hook:working;print:thinking;hook:waiting;ask:continue? ;hook:working;sleep:600000') },
    }),
    browsers.launch(),
  ]);
  control = await owner.link({ label: 'laptop' });
}, 60_000);
afterEach(() => browsers.closePages());
afterAll(async () => {
  await browsers.close();
  await owner?.dispose();
});

const added = async (title: string): Promise<number> => (await owner.json<{ number: number }>(['task', 'add', title])).number;

describe('a task sheet', () => {
  it('edits, moves, starts with a chosen agent, stops, starts again with another, and removes after a confirmation', async () => {
    const number = await added('Act on me');
    const page = await browsers.open(control.url);
    await waitForConnection(page, 'live');
    await openTask(page, number);
    const sheet = page.locator(`.sheet[data-task="${number}"]`);

    await sheet.locator('[data-action=edit]').click();
    const dialog = page.locator('dialog[open]');
    await dialog.locator('input[name=title]').fill('Acted on');
    await dialog.locator('textarea[name=description]').fill('Edited in the browser.');
    await dialog.locator('button[value=ok]').click();
    await eventually(async () => ((await owner.task(number)).title === 'Acted on' ? true : undefined), 'the edit to land');
    expect((await owner.task(number)).description).toBe('Edited in the browser.');
    await page.locator(`.sheet[data-task="${number}"] h2`, { hasText: 'Acted on' }).waitFor();

    await sheet.locator('select[name=move]').selectOption('cancelled');
    await eventually(async () => ((await owner.task(number)).status === 'cancelled' ? true : undefined), 'the move to cancelled');
    await sheet.locator('select[name=move]').selectOption('todo');
    await eventually(async () => ((await owner.task(number)).status === 'todo' ? true : undefined), 'the move back to todo');

    // The agent list offers the configured agents; starting goes to the terminal, where the agent asks.
    await sheet.locator('select[name=agent]').selectOption('asker');
    await sheet.locator('[data-action=start]').click();
    await waitForScreen(page, (text) => text.includes('continue?'), 'the asker to ask');
    expect((await owner.task(number)).session).toMatchObject({ agent: 'asker' });
    await page.locator('.overlay .back').click();
    await sheet.locator('[data-action=stop]').click();
    await eventually(async () => ((await owner.task(number)).session?.state === 'exited' ? true : undefined), 'the stop');

    await sheet.locator('select[name=agent]').selectOption('shell');
    await sheet.locator('[data-action=start]', { hasText: 'Start again' }).click();
    await waitForScreen(page, (text) => text.trim() !== '', 'the shell');
    const again = await owner.task(number);
    expect(again.session).toMatchObject({ agent: 'shell' });
    expect(again.session?.state).not.toBe('exited');
    expect(await owner.json<{ attempts?: number }>(['task', 'show', String(number)])).toMatchObject({ attempts: 2 });

    const doomed = await added('Remove me');
    await page.locator('.overlay .back').click();
    await page.locator('.overlay .back').click();
    await openTask(page, doomed);
    await page.locator(`.sheet[data-task="${doomed}"] [data-action=remove]`).click();
    await page.locator('dialog[open] button[value=cancel]').click();
    expect((await owner.task(doomed)).title).toBe('Remove me');
    await page.locator(`.sheet[data-task="${doomed}"] [data-action=remove]`).click();
    await page.locator('dialog[open] button[value=ok]').click();
    await page.locator('.overlay').waitFor({ state: 'hidden' });
    await expect(owner.task(doomed)).rejects.toMatchObject({ code: 'not_found' });
    expect(await page.locator(`.card[data-task="${doomed}"]`).count()).toBe(0);
  });
});

describe('attention', () => {
  it('marks an agent that starts waiting on its card and counts it in the tab title', async () => {
    const page = await browsers.open(control.url);
    await waitForConnection(page, 'live');
    const before = await page.title();
    expect(before).not.toMatch(/^\(\d+\)/);
    const { number } = await owner.startTask('Ask me', 'asker');
    const card = page.locator(`.card[data-task="${number}"]`);
    await card.locator('.badge', { hasText: 'waiting' }).waitFor();
    expect(await card.getAttribute('class')).toContain('card-waiting');
    await eventually(async () => (/^\(\d+\) app · vibe$/.test(await page.title()) ? true : undefined), 'the title to count waiting agents');
    const counted = Number(/^\((\d+)\)/.exec(await page.title())![1]);
    // Answering it: the agent works again, and the count goes down by one.
    await owner.vibe(['send', String(number), 'yes', '--enter']);
    await card.locator('.badge', { hasText: 'working' }).waitFor();
    await eventually(async () => {
      const title = await page.title();
      const now = /^\((\d+)\)/.exec(title)?.[1];
      return (now === undefined ? 0 : Number(now)) === counted - 1 ? true : undefined;
    }, 'the count to drop');
  });

  it('announces an agent that starts waiting with a notification while the tab is in the background', async () => {
    // The page's view of the browser: notifications allowed, the tab hidden; each notification recorded.
    const page = await browsers.open(control.url, {
      prepare: async (fresh) =>
        void (await fresh.addInitScript(() => {
          const shown: Array<{ title: string; body: string }> = [];
          (window as unknown as { shown: typeof shown }).shown = shown;
          class RecordedNotification {
            static permission = 'granted';
            static requestPermission = async () => 'granted';
            onclick: (() => void) | null = null;
            constructor(title: string, options: { body: string }) {
              shown.push({ title, body: options.body });
            }
            close(): void {}
          }
          Object.defineProperty(window, 'Notification', { value: RecordedNotification });
          Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
        })),
    });
    await waitForConnection(page, 'live');
    const { number } = await owner.startTask('Ping me', 'asker');
    await page.locator(`.card[data-task="${number}"] .badge`, { hasText: 'waiting' }).waitFor();
    const shown = await page.evaluate(() => (window as unknown as { shown: Array<{ title: string; body: string }> }).shown);
    expect(shown).toEqual([{ title: 'asker is waiting for you', body: `#${number} Ping me — app` }]);
  });
});

describe('on a phone', () => {
  it('interrupts with the key bar (^C, and sticky Ctrl then c), and types an IME composition into the shell', async () => {
    const { number } = await owner.startTask('Phone keys', 'shell');
    const page = await browsers.open(control.url, { viewport: PHONE });
    await openTerminal(page, number);
    await typeLine(page, 'sleep 100; echo not-interrupted');
    await page.locator('.key[data-key=ctrl-c]').click();
    await typeLine(page, 'echo after-$((1+1))');
    await waitForScreen(page, (text) => /^after-2$/m.test(text), 'the prompt after ^C');

    await typeLine(page, 'sleep 100; echo not-interrupted');
    await page.locator('.key[data-key=ctrl]').click();
    expect(await page.locator('.key[data-key=ctrl]').getAttribute('class')).toContain('armed');
    await page.keyboard.type('c');
    expect(await page.locator('.key[data-key=ctrl]').getAttribute('class')).not.toContain('armed');
    await typeLine(page, 'echo ctrl-$((2+1))');
    await waitForScreen(page, (text) => /^ctrl-3$/m.test(text), 'the prompt after Ctrl then c');

    // A composition as an on-screen keyboard's IME makes it: composing, then committing the text.
    await page.locator('.terminal-screen').click();
    await page.keyboard.type('echo ime-');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'にほ', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.insertText', { text: '日本' });
    // Enter once the committed text is on the line, as a person taps it: xterm sends a commit a tick after
    // compositionend, and a key that comes before that tick (on a loaded machine) finds nothing composed yet.
    await waitForScreen(page, (text) => /echo ime-日本$/m.test(text), 'the composed text on the command line');
    await page.keyboard.press('Enter');
    await waitForScreen(page, (text) => /^ime-日本$/m.test(text), 'the composed text echoed');
    // Neither sleep ran to its end: both were interrupted.
    expect(await waitForScreen(page, () => true, 'the screen')).not.toMatch(/^not-interrupted$/m);
  });
});

describe('the page itself', () => {
  it('loads nothing from anywhere but its relay, and carries a manifest with icons to install it', async () => {
    const requested: string[] = [];
    const page = await browsers.open(control.url, { prepare: async (fresh) => void fresh.on('request', (request) => requested.push(request.url())) });
    await waitForConnection(page, 'live');
    const origin = new URL(control.url).origin;
    const ws = origin.replace(/^http/, 'ws');
    expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith(ws) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel=manifest]')!;
      const body = (await (await fetch(link.href)).json()) as { name: string; display: string; start_url: string; icons: Array<{ src: string; sizes: string; type: string }> };
      const icons = await Promise.all(
        body.icons.map(async (icon) => {
          const response = await fetch(new URL(icon.src, link.href));
          const image = await createImageBitmap(await response.blob());
          return { sizes: icon.sizes, type: response.headers.get('content-type'), size: `${image.width}x${image.height}` };
        }),
      );
      return { name: body.name, display: body.display, start: body.start_url, icons };
    });
    expect(manifest).toMatchObject({ name: 'vibe', display: 'standalone', start: './' });
    expect(manifest.icons).toEqual([
      { sizes: '192x192', type: 'image/png', size: '192x192' },
      { sizes: '512x512', type: 'image/png', size: '512x512' },
    ]);
  });
});
