// The browser for the web view's tests: one headless Debian Chromium per test file, a fresh context (no
// storage, no cookies) for every page, every uncaught page error collected so a test fails on it, and
// screenshots saved under the repository's git-ignored screenshots/ for a person to look at.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = fileURLToPath(new URL('../../../../screenshots/', import.meta.url));

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Downloads are refused unless asked for. */
  acceptDownloads?: boolean;
  /** Runs on the new page before it loads the URL (to route its WebSocket, say). */
  prepare?: (page: Page) => Promise<void>;
}

export class Browsers {
  private browser: Browser | undefined;
  private readonly contexts: BrowserContext[] = [];
  private readonly errors: string[] = [];

  async launch(): Promise<void> {
    this.browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      timeout: 30_000,
    });
  }

  /** A page in a context of its own, at `url`, once the page's script has run (the app element has children). */
  async open(url: string, options: OpenOptions = {}): Promise<Page> {
    if (!this.browser) throw new Error('launch() first');
    const context = await this.browser.newContext({ viewport: options.viewport ?? DESKTOP, acceptDownloads: options.acceptDownloads ?? false });
    this.contexts.push(context);
    // Every wait a test makes through playwright is bounded well inside the test's own timeout.
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => this.errors.push(`${page.url().split('#')[0]}: ${error.stack ?? error.message}`));
    await options.prepare?.(page);
    await page.goto(url);
    await page.locator('#app > *').first().waitFor();
    return page;
  }

  /**
   * Closes every page opened since the last call; throws if any page threw an uncaught error meanwhile — a
   * page that "works" while its script throws is a defect the test must show.
   */
  async closePages(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((context) => context.close()));
    const errors = this.errors.splice(0);
    if (errors.length > 0) throw new Error(`the page threw:\n${errors.join('\n')}`);
  }

  async close(): Promise<void> {
    await this.closePages().catch(() => undefined);
    await this.browser?.close();
  }
}

/** Saves a full-viewport PNG as screenshots/NAME.png (for a person to look at; nothing compares pixels). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}${name}.png`;
  // The cursor blinks and toasts fade: a settled frame is what a user would look at.
  await page.waitForTimeout(300);
  await page.screenshot({ path, animations: 'disabled' });
  return path;
}
