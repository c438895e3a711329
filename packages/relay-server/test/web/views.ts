// How a test gets around the web view as a user does — a card, its sheet, its terminal — and reads what the
// terminal shows. Every wait is bounded (playwright's default timeout, set per context, or an explicit one).
import type { Page } from 'playwright-core';

/** Waits for the connection badge to say `state`. */
export async function waitForConnection(page: Page, state: 'live' | 'reconnecting' | 'connecting' | 'offline' | 'failed', timeoutMs = 20_000): Promise<void> {
  await page.locator(`.conn[data-state=${state}]`).waitFor({ timeout: timeoutMs });
}

/** From the board: taps the task's card and waits for its sheet. */
export async function openTask(page: Page, number: number): Promise<void> {
  await page.locator(`.card[data-task="${number}"]`).click();
  await page.locator(`.sheet[data-task="${number}"]`).waitFor();
}

/**
 * From the board: the task's sheet, then its Terminal button; resolves once the terminal shows the session's
 * screen — as a user waits to see the prompt before typing (keys pressed before that are not sent).
 */
export async function openTerminal(page: Page, number: number): Promise<void> {
  await openTask(page, number);
  await page.locator(`.sheet[data-task="${number}"] [data-action=terminal]`).click();
  await waitForScreen(page, (text) => text.trim() !== '', 'the session\'s screen');
}

/** Presses the overlay's Back button until the board shows (a terminal's Back may go to its task first). */
export async function backToBoard(page: Page): Promise<void> {
  for (let presses = 0; presses < 3 && (await page.locator('.overlay').isVisible()); presses++) {
    await page.locator('.overlay .back').click();
    await page.locator('.overlay').waitFor({ state: 'hidden', timeout: 1000 }).catch(() => undefined);
  }
  await page.locator('.overlay').waitFor({ state: 'hidden' });
}

/**
 * The text xterm.js shows on its screen, one line per row, trailing blanks removed: its DOM renderer's rows.
 * The page draws with WebGL only on a hardware GPU; the test browser has none (--disable-gpu), so rows it is.
 */
export async function screenText(page: Page): Promise<string> {
  return page.locator('.terminal-screen .xterm-rows').evaluate((rows) => [...rows.children].map((row) => (row.textContent ?? '').replace(/\s+$/, '')).join('\n'));
}

/** Waits until the terminal's screen shows text `test` accepts; the screen goes in the timeout error. */
export async function waitForScreen(page: Page, test: (text: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await screenText(page).catch(() => '');
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the terminal shows:\n${text.replace(/\n+$/, '')}`);
    await page.waitForTimeout(100);
  }
}

/**
 * The size xterm.js has on the page: its rows are the row elements; its columns the screen's width over one
 * cell's (xterm measures a cell from a 32-character probe; the screen is exactly cols cells wide).
 */
export async function terminalSize(page: Page): Promise<{ cols: number; rows: number }> {
  return page.locator('.terminal-screen').evaluate((screen) => {
    const probe = screen.querySelector('.xterm-char-measure-element')!;
    const cell = probe.getBoundingClientRect().width / (probe.textContent ?? '').length;
    const width = screen.querySelector('.xterm-screen')!.getBoundingClientRect().width;
    return { cols: Math.round(width / cell), rows: screen.querySelectorAll('.xterm-rows > div').length };
  });
}

/** Clicks into the terminal (as a user taps it, which focuses xterm's input) and types `text`, then Enter. */
export async function typeLine(page: Page, text: string): Promise<void> {
  await page.locator('.terminal-screen').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}
