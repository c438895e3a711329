// The web view in real Chromium against the real CLI, daemon and embedded relay: a control link shows the
// board and verifies the daemon's key, creates and starts a task whose shell it types into; the session takes
// the size of the page that types and ignores pages that only watch; a view-only link can press and type
// nothing that reaches the session.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../cli/test/harness.js';
import { Browsers, DESKTOP, PHONE } from './browser.js';
import { Owner, type Link, type TaskJson } from './owner.js';
import { backToBoard, openTask, openTerminal, screenText, terminalSize, typeLine, waitForConnection, waitForScreen } from './views.js';

const browsers = new Browsers();
let owner: Owner;
let control: Link;
let viewOnly: Link;

beforeAll(async () => {
  // The shell is the default agent: a task created from the page with no agent chosen runs one to type into.
  [owner] = await Promise.all([Owner.start({ defaultAgent: 'shell' }), browsers.launch()]);
  control = await owner.link({ label: 'laptop' });
  viewOnly = await owner.link({ readOnly: true, label: 'phone' });
}, 60_000);
afterEach(() => browsers.closePages());
afterAll(async () => {
  await browsers.close();
  await owner?.dispose();
});

describe('a control link', () => {
  it('shows the board live with the daemon key verified; a task created and started there runs a shell the page types into', async () => {
    await owner.vibe(['task', 'add', 'Already here']);
    const page = await browsers.open(control.url);
    await waitForConnection(page, 'live');
    await page.locator('.identity .verified').waitFor();
    expect(await page.locator('.identity').textContent()).toContain(`daemon ${control.daemonId}`);
    expect(await page.locator('.project-select').inputValue()).toBe('app');
    await page.locator('.column[data-status=todo] .card[data-task="1"]').waitFor();
    expect(await page.locator('.card[data-task="1"] .card-title').textContent()).toBe('Already here');
    expect(await page.locator('.card[data-task="1"] .badge').textContent()).toBe('not started');

    await page.locator('[data-action=new-task]').click();
    const dialog = page.locator('dialog[open]');
    await dialog.locator('input[name=title]').fill('Say hello');
    await dialog.locator('textarea[name=description]').fill('From the browser.');
    await dialog.locator('input[name=start]').check();
    await dialog.locator('button[value=ok]').click();

    // Created and started: the page goes straight to the new task's terminal, where the shell's prompt shows.
    await waitForScreen(page, (text) => text.trim() !== '', 'the shell\'s prompt');
    await typeLine(page, 'echo hello-from-browser');
    // The shell's answer on a line of its own (the typed command line also contains the words).
    await waitForScreen(page, (text) => /^hello-from-browser$/m.test(text), 'the echo');

    // The daemon agrees: task 2 is in progress with a running shell session. Asked at once, over the local
    // socket: a shell quiet for 3 s counts as idle, and an idle agent's task moves on to review.
    const task = await owner.task(2);
    expect(task).toMatchObject({ title: 'Say hello', description: 'From the browser.', status: 'in_progress', agent: null, session: { agent: 'shell' } });
    expect(task.session!.state).not.toBe('exited');
    const { tasks } = await owner.json<{ tasks: TaskJson[] }>(['task', 'ls']);
    expect(tasks.map((listed) => [listed.number, listed.title, listed.session?.id ?? null])).toEqual([
      [1, 'Already here', null],
      [2, 'Say hello', task.session!.id],
    ]);
    expect((await owner.session(task.session!.id)).agent).toBe('shell');

    // Back on the board the card moved to In progress with its session's state.
    await backToBoard(page);
    const card = page.locator('.column[data-status=in_progress] .card[data-task="2"]');
    await card.waitFor();
    expect(await card.locator('.badge').textContent()).toMatch(/^(working|waiting|idle)$/);
    expect(await card.locator('.agent').textContent()).toBe('shell');
  });

  it('gives the session the size of the page that types into it, and none to a page that only watches', async () => {
    const { number, session } = await owner.startTask('Resize me', 'shell');
    const driver = await browsers.open(control.url, { viewport: DESKTOP });
    await openTerminal(driver, number);
    await typeLine(driver, 'stty size');
    // Typing made this page the driver: the session, and what the shell itself reads, take its size.
    const first = await terminalSize(driver);
    await eventually(async () => ((await owner.session(session.id)).cols === first.cols ? true : undefined), 'the session to take the page\'s width');
    expect(await owner.session(session.id)).toMatchObject({ cols: first.cols, rows: first.rows });
    await waitForScreen(driver, (text) => text.includes(`\n${first.rows} ${first.cols}\n`), `stty to print ${first.rows} ${first.cols}`);

    // A smaller window: the session follows, and the shell sees it.
    await driver.setViewportSize({ width: 900, height: 560 });
    const second = await eventually(async () => {
      const size = await terminalSize(driver);
      return size.cols < first.cols && size.rows < first.rows ? size : undefined;
    }, 'the page\'s terminal to shrink');
    await eventually(async () => {
      const now = await owner.session(session.id);
      return now.cols === second.cols && now.rows === second.rows ? true : undefined;
    }, `the session to follow to ${second.cols}x${second.rows}`);
    await typeLine(driver, 'stty size');
    await waitForScreen(driver, (text) => text.includes(`\n${second.rows} ${second.cols}\n`), `stty to print ${second.rows} ${second.cols}`);

    // A phone opens the same terminal and only watches: it shows the session's size, changes nothing, and
    // turning it around (another viewport) changes nothing either.
    const watcher = await browsers.open(control.url, { viewport: PHONE });
    await openTerminal(watcher, number);
    await waitForScreen(watcher, (text) => text.includes(`${second.rows} ${second.cols}`), 'the watcher to show the screen');
    expect(await terminalSize(watcher)).toEqual(second);
    await watcher.setViewportSize({ width: PHONE.height, height: PHONE.width });
    // Longer than the page's resize debounce (120 ms) and a round trip through the relay.
    await watcher.waitForTimeout(1500);
    expect(await owner.session(session.id)).toMatchObject({ cols: second.cols, rows: second.rows });
    expect(await terminalSize(driver)).toEqual(second);
  });
});

describe('getting around', () => {
  it('opens a task\'s terminal from a deep link, sends keys typed before it opened, and Back steps up a level at a time', async () => {
    const { number } = await owner.startTask('Deep link', 'shell');
    // Everything the relay sends this page arrives 800 ms late (in order), so the terminal exists well before
    // its first screen does: the window in which a fast typist's keys used to be lost.
    const page = await browsers.open(`${control.url}/app/${number}`, {
      prepare: (fresh) =>
        fresh.routeWebSocket(/\/v1\/client/, (socket) => {
          const server = socket.connectToServer();
          server.onMessage((message) => void setTimeout(() => socket.send(message), 800));
          socket.onMessage((message) => server.send(message));
        }),
    });
    await page.locator('.terminal-screen .xterm').waitFor();
    expect((await screenText(page)).trim()).toBe('');
    await page.keyboard.type('echo early-$((6*7))');
    await page.keyboard.press('Enter');
    await waitForScreen(page, (text) => /^early-42$/m.test(text), 'the early keys to reach the shell');

    await page.locator('.overlay .back').click();
    await page.locator(`.sheet[data-task="${number}"]`).waitFor();
    await page.goBack();
    await page.locator('.overlay').waitFor({ state: 'hidden' });
    await page.goForward();
    await page.locator(`.sheet[data-task="${number}"]`).waitFor();
    await page.locator('.overlay .back').click();
    await page.locator('.overlay').waitFor({ state: 'hidden' });
    expect(await page.locator(`.card[data-task="${number}"]`).count()).toBe(1);
  });
});

describe('a view-only link', () => {
  it('shows the board and the terminal with nothing to press, and what it types never reaches the session', async () => {
    const { number, session } = await owner.startTask('Only watch', 'shell');
    const watcher = await browsers.open(viewOnly.url);
    await waitForConnection(watcher, 'live');
    await watcher.locator('.badge-viewonly').waitFor();
    await watcher.locator(`.card[data-task="${number}"]`).waitFor();
    expect(await watcher.locator('[data-action=new-task]').count()).toBe(0);

    await openTask(watcher, number);
    const sheet = watcher.locator(`.sheet[data-task="${number}"]`);
    for (const action of ['start', 'stop', 'edit', 'remove']) expect(await sheet.locator(`[data-action=${action}]`).count(), action).toBe(0);
    expect(await sheet.locator('select[name=move], select[name=agent]').count()).toBe(0);
    expect(await sheet.locator('[data-action=terminal]').count()).toBe(1);

    await sheet.locator('[data-action=terminal]').click();
    await waitForScreen(watcher, (text) => text.trim() !== '', 'the shell\'s prompt');
    expect(await watcher.locator('.keybar, .key').count()).toBe(0);
    await watcher.locator('.terminal-screen').click();
    await watcher.keyboard.type('echo VIEWER-MARKER');
    await watcher.keyboard.press('Enter');
    // Time for those keys to have crossed the relay had the page sent them.
    await watcher.waitForTimeout(1000);

    // The owner then types a command of its own; once its answer is on the screen, anything typed before
    // it would be there too. The sum keeps the answer apart from the command line that asks for it.
    await owner.vibe(['send', `s${session.id}`, 'echo owner-$((40+2))', '--enter']);
    const seen = await waitForScreen(watcher, (text) => /^owner-42$/m.test(text), "the owner's command to run");
    expect(seen).not.toContain('VIEWER-MARKER');
    const ownerPage = await browsers.open(control.url);
    await openTerminal(ownerPage, number);
    await waitForScreen(ownerPage, (text) => /^owner-42$/m.test(text), 'the control page to show the screen');
    expect(await screenText(ownerPage)).not.toContain('VIEWER-MARKER');
  });
});
