// Pictures of the web view for a person to look at, on a phone (375×812) and a laptop (1280×800): the board,
// a task's sheet, a terminal typed into, a review with its diff, the board through a view-only link, and
// working together (an agent's approval waiting, the project chat, two viewers of a terminal) — saved under the repository's git-ignored screenshots/. Each also checks its screen is the one it names.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../cli/test/harness.js';
import { Browsers, DESKTOP, PHONE, screenshot } from './browser.js';
import { fakeAgent, Owner, type Link } from './owner.js';
import { backToBoard, openTask, openTerminal, typeLine, waitForConnection, waitForScreen } from './views.js';

const browsers = new Browsers();
let owner: Owner;
let control: Link;
let viewOnly: Link;
let inReview: number;
let working: number;

/** A small change with code in it, so the review shows the diff's colouring. */
const GREETER = 'edit:src/greet.ts=// Greets someone.\\nexport function greet(name: string): string {\\n  return `hello ${name}`\\; // 42\\n};commit:add greet';

beforeAll(async () => {
  const agents = {
    greeter: fakeAgent(`hook:working;print:writing src/greet.ts;${GREETER};hook:idle;sleep:600000`),
    gate: fakeAgent('hook:working;approve:Bash=rm -rf build/;print:told {answer};sleep:600000'),
  };
  [owner] = await Promise.all([Owner.start({ agents }), browsers.launch()]);
  // One after the other: two first `vibe connect`s at once race in the daemon, and the second fails with
  // '"null" is not a URL' (the embedded relay of the first is not listening yet).
  control = await owner.link({ label: 'laptop' });
  viewOnly = await owner.link({ readOnly: true, label: 'phone' });
  // A board with something in most columns.
  await owner.vibe(['task', 'add', 'Plan the next release', '--description', 'Collect what landed since 0.1 and write it up.']);
  inReview = (await owner.startTask('Add a greeting helper', 'greeter')).number;
  working = (await owner.startTask('Try things in a shell', 'shell')).number;
  await owner.vibe(['task', 'add', 'An idea we dropped']);
  await owner.vibe(['task', 'mv', '4', 'cancelled']);
  await eventually(async () => ((await owner.task(inReview)).status === 'in_review' ? true : undefined), 'the greeter to finish its turn');
}, 60_000);
afterEach(() => browsers.closePages());
afterAll(async () => {
  await browsers.close();
  await owner?.dispose();
});

async function board(page: Page): Promise<void> {
  await waitForConnection(page, 'live');
  await page.locator(`.column[data-status=in_review] .card[data-task="${inReview}"]`).waitFor();
  await page.locator(`.column[data-status=cancelled] .card[data-task="4"]`).waitFor();
}

describe.each([
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const)('on a %s', (name, viewport) => {
  it('pictures the board, a task sheet, a terminal and a review', async () => {
    const page = await browsers.open(control.url, { viewport });
    await board(page);
    await screenshot(page, `board-${name}`);

    await openTask(page, working);
    await screenshot(page, `task-sheet-${name}`);
    await backToBoard(page);

    await openTerminal(page, working);
    await typeLine(page, `echo "typed on the ${name}"; ls -la`);
    await waitForScreen(page, (text) => text.includes(`\ntyped on the ${name}\n`), 'the echo');
    await screenshot(page, `terminal-${name}`);
    await backToBoard(page);

    await openTask(page, inReview);
    await page.locator(`.sheet[data-task="${inReview}"] [data-action=review]`).click();
    await page.locator('.review-diff', { hasText: 'greet.ts' }).waitFor();
    await screenshot(page, `review-${name}`);
  });

  it('pictures an approval waiting, the project chat, and two people watching a terminal', async () => {
    const page = await browsers.open(control.url, { viewport });
    await board(page);
    const { number } = await owner.startTask(`Clean the build (${name})`, 'gate');
    const request = page.locator('.approvals-bar .approval', { hasText: 'rm -rf build/' });
    await request.waitFor();
    await page.locator(`.card[data-task="${number}"] .badge-approval`).waitFor();
    await screenshot(page, `approval-${name}`);
    await request.locator('[data-action=allow]').click();
    await request.waitFor({ state: 'detached' });

    const teammate = await browsers.open(viewOnly.url, { viewport: PHONE });
    await waitForConnection(teammate, 'live');
    await owner.vibe(['chat', `Merging #${inReview} after lunch — shout if it looks wrong.`]);
    await teammate.locator('[data-action=chat]').click();
    await teammate.locator('textarea[name=chat]').fill(`Looks good from here (${name}). Can #${working} wait?`);
    await teammate.locator('textarea[name=chat]').press('Enter');
    await page.locator('[data-action=chat]').click();
    await page.locator('.chat-message', { hasText: `Looks good from here (${name})` }).waitFor();
    await screenshot(page, `chat-${name}`);
    for (const reader of [page, teammate]) {
      await reader.locator('.chat-close').click();
      await reader.locator('.chat').waitFor({ state: 'hidden' });
    }

    await openTerminal(page, working);
    await openTerminal(teammate, working);
    await page.locator('.viewers .viewer[data-viewer="phone"]').waitFor();
    await screenshot(page, `viewers-${name}`);
  });

  it('pictures the board through a view-only link', async () => {
    const page = await browsers.open(viewOnly.url, { viewport });
    await board(page);
    await page.locator('.badge-viewonly').waitFor();
    const path = await screenshot(page, `board-view-only-${name}`);
    expect(existsSync(path)).toBe(true);
  });
});
