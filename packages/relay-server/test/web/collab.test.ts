// Working together in the web view, in real Chromium through a real relay: the project chat between a control
// link, a view-only link and the CLI; who watches a session and who types; an agent's permission request
// answered with one tap (and not answerable from a view-only link); and actions taken while the relay is
// down, queued in the page and applied once when it is back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, vibeBin } from '../../../cli/test/harness.js';
import { startRelay, stopStarted, type ChildServer } from '../../../cli/test/relay-fixtures.js';
import { TmuxServer } from '../../../cli/test/tmux.js';
import { Browsers, PHONE } from './browser.js';
import { fakeAgent, Owner, type Link } from './owner.js';
import { openTerminal, typeLine, waitForConnection, waitForScreen } from './views.js';

const browsers = new Browsers();
let owner: Owner;
let relay: ChildServer;
let alice: Link;
let bob: Link;

interface ChatJson {
  messages: Array<{ text: string; from: { label: string; kind: string } }>;
}

beforeAll(async () => {
  // A relay of its own (not the embedded one), so the test can take it down and bring it back on its port.
  [owner, relay] = await Promise.all([
    Owner.start({
      defaultAgent: 'shell',
      // Asks permission through vibe's hook for a command, then says what it was told.
      agents: { gate: fakeAgent('hook:working;approve:Bash=rm -rf build;print:told {answer};sleep:600000') },
    }),
    startRelay([]),
    browsers.launch(),
  ]);
  alice = await owner.link({ relay: relay.url, label: 'alice' });
  bob = await owner.link({ relay: relay.url, label: 'bob', readOnly: true });
}, 60_000);
afterEach(() => browsers.closePages());
afterAll(async () => {
  await browsers.close();
  await owner?.dispose();
  await stopStarted();
});

const chatLog = async (): Promise<ChatJson['messages']> => (await owner.json<ChatJson>(['chat'])).messages;

describe('the project chat', () => {
  it('carries messages between a control link, a view-only link and the CLI, live, with who wrote them', async () => {
    const [a, b] = await Promise.all([browsers.open(alice.url), browsers.open(bob.url, { viewport: PHONE })]);
    await Promise.all([waitForConnection(a, 'live'), waitForConnection(b, 'live')]);
    await a.locator('[data-action=chat]').click();
    await b.locator('[data-action=chat]').click();
    await a.locator('textarea[name=chat]').fill('hello from alice');
    await a.locator('textarea[name=chat]').press('Enter');
    await b.locator('.chat-message', { hasText: 'hello from alice' }).locator('strong', { hasText: 'alice' }).waitFor();
    await b.locator('textarea[name=chat]').fill('bob watching');
    await b.locator('.chat-form button[type=submit]').click();
    await a.locator('.chat-message', { hasText: 'bob watching' }).waitFor();
    await owner.vibe(['chat', 'from the desk']);
    await Promise.all([a.locator('.chat-message', { hasText: 'from the desk' }).waitFor(), b.locator('.chat-message', { hasText: 'from the desk' }).waitFor()]);
    expect((await chatLog()).map((message) => [message.from.label, message.from.kind, message.text])).toEqual([
      ['alice', 'control', 'hello from alice'],
      ['bob', 'view', 'bob watching'],
      [expect.any(String), 'local', 'from the desk'],
    ]);
  });
});

describe('presence', () => {
  it('shows two browsers watching a session to each other and on the board at the desk, and who is typing', async () => {
    const { number } = await owner.startTask('Watched', 'shell');
    const [a, b] = await Promise.all([browsers.open(alice.url), browsers.open(bob.url)]);
    await openTerminal(a, number);
    await openTerminal(b, number);
    for (const page of [a, b]) {
      await page.locator('.viewers .viewer[data-viewer="alice"]').waitFor();
      await page.locator('.viewers .viewer[data-viewer="bob"]', { hasText: 'watching' }).waitFor();
    }
    expect(await b.locator('.viewer[data-viewer="alice"]').getAttribute('title')).toMatch(/Chrome on Linux/);

    // The board at the desk, in a real terminal: the card counts both browsers, and its line names them.
    const desk = new TmuxServer(owner.sandbox.dir, { ...owner.sandbox.env, CI: 'true' });
    try {
      desk.start('board', [vibeBin, 'board'], owner.repo, { cols: 160, rows: 20 });
      await desk.waitForScreen('board', new RegExp(`#${number} Watched\\s+◉2\\s`));
      // Select the card: right, column by column, until its line shows (a shell that went quiet is in review).
      const watchLine = new RegExp(`◉ #${number} watched by alice \\(Chrome on Linux\\), bob \\(Chrome on Linux, view-only\\)`);
      for (let column = 0; column < 4 && !watchLine.test(desk.screen('board')); column++) {
        desk.keys('board', ['l']);
        await desk.waitForScreen('board', watchLine, 1000).catch(() => undefined);
      }
      await desk.waitForScreen('board', watchLine);

      await typeLine(a, 'echo typed');
      await b.locator('.viewer[data-viewer="alice"].viewer-typing').waitFor();
      await desk.waitForScreen('board', new RegExp(`#${number} Watched\\s+◉2✎`));
      // Typing ends three seconds after the last key, on the page and on the board.
      await b.locator('.viewer[data-viewer="alice"]:not(.viewer-typing)').waitFor({ timeout: 10_000 });
      await desk.waitForScreen('board', new RegExp(`#${number} Watched\\s+◉2\\s`));
    } finally {
      desk.kill();
    }
    // The board counts who watches a session on its card.
    await a.locator('.overlay .back').click();
    await a.locator('.overlay .back').click();
    await a.locator(`.card[data-task="${number}"] .watching`, { hasText: '1 watching' }).waitFor();
  });

  it('shows on a page opened later who already watched a session before it loaded', async () => {
    const { number } = await owner.startTask('Watched before', 'shell');
    const a = await browsers.open(alice.url);
    await openTerminal(a, number);
    await a.locator('.viewers .viewer[data-viewer="alice"]').waitFor();
    // No session.viewers event reaches a page that was not there when alice attached: it must ask.
    const late = await browsers.open(bob.url);
    await waitForConnection(late, 'live');
    await late.locator(`.card[data-task="${number}"] .watching`, { hasText: '1 watching' }).waitFor({ timeout: 15_000 });
  });
});

describe('an approval', () => {
  it('shows what the agent asks, cannot be answered from a view-only link, and one tap on a control link allows it', async () => {
    const [a, b] = await Promise.all([browsers.open(alice.url), browsers.open(bob.url)]);
    await Promise.all([waitForConnection(a, 'live'), waitForConnection(b, 'live')]);
    const { number } = await owner.startTask('Needs permission', 'gate');
    const request = a.locator('.approvals-bar .approval', { hasText: 'rm -rf build' });
    await request.waitFor();
    await a.locator(`.card[data-task="${number}"] .badge-approval`).waitFor();
    const watched = b.locator('.approvals-bar .approval', { hasText: 'rm -rf build' });
    await watched.waitFor();
    expect(await watched.locator('[data-action=allow], [data-action=deny]').count()).toBe(0);
    await request.locator('[data-action=allow]').click();
    await request.waitFor({ state: 'detached' });
    await watched.waitFor({ state: 'detached' });
    await openTerminal(a, number);
    await waitForScreen(a, (text) => /^told allow$/m.test(text), 'the agent to be told');
    const { approvals } = await owner.json<{ approvals: Array<{ state: string; answeredBy: string; detail: string }> }>(['approvals', '--all']);
    expect(approvals.find((approval) => approval.detail === 'rm -rf build')).toMatchObject({ state: 'allowed', answeredBy: 'alice' });
  });
});

describe('while the relay is down', () => {
  it('queues a chat message, a new task and an approval answer in the page, and applies each once when it is back', async () => {
    const page = await browsers.open(alice.url);
    await waitForConnection(page, 'live');
    const { number } = await owner.startTask('Approve me later', 'gate');
    const request = page.locator('.approvals-bar .approval', { hasText: 'rm -rf build' });
    await request.waitFor();
    const port = relay.port;
    await relay.kill('SIGKILL');
    await page.locator('.conn[data-state=reconnecting], .conn[data-state=offline]').first().waitFor();

    await page.locator('[data-action=chat]').click();
    await page.locator('textarea[name=chat]').fill('written offline');
    await page.locator('textarea[name=chat]').press('Enter');
    await page.locator('[data-action=chat]').click();
    await request.locator('[data-action=deny]').click();
    await request.locator('input[name=reason]').fill('not while I am away');
    await request.locator('[data-action=deny]').click();
    await page.locator('[data-action=new-task]').click();
    await page.locator('dialog[open] input[name=title]').fill('Queued task');
    await page.locator('dialog[open] button[value=ok]').click();
    // Shown as pending, and nothing reached the daemon.
    await page.locator('.queue', { hasText: '3 waiting for the connection' }).waitFor();
    expect((await chatLog()).filter((message) => message.text === 'written offline')).toHaveLength(0);

    relay = await startRelay(['--port', String(port)]);
    await waitForConnection(page, 'live', 40_000);
    await eventually(async () => ((await chatLog()).some((message) => message.text === 'written offline') ? true : undefined), 'the queued chat message', 30_000);
    await page.locator('.queue-tray .queue').waitFor({ state: 'detached' });
    // Reconnect once more: nothing is applied twice.
    await page.reload();
    await waitForConnection(page, 'live');
    expect((await chatLog()).filter((message) => message.text === 'written offline')).toHaveLength(1);
    const { tasks } = await owner.json<{ tasks: Array<{ title: string }> }>(['task', 'ls']);
    expect(tasks.filter((task) => task.title === 'Queued task')).toHaveLength(1);
    const { approvals } = await owner.json<{ approvals: Array<{ taskNumber: number; state: string; reason: string | null; answeredBy: string }> }>(['approvals', '--all']);
    expect(approvals.find((approval) => approval.taskNumber === number)).toMatchObject({ state: 'denied', reason: 'not while I am away', answeredBy: 'alice' });
  });
});
