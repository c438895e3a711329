// Review from the browser, in real Chromium against the real daemon, git and the scripted fake agent: the
// attempt's diff, feedback that reaches the running agent, a merge that lands on the base branch, and a
// conflicting merge that names the file and changes nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../cli/test/harness.js';
import { Browsers } from './browser.js';
import { fakeAgent, Owner, type Link } from './owner.js';
import { openTask, openTerminal, waitForScreen } from './views.js';

const browsers = new Browsers();
let owner: Owner;
let control: Link;

beforeAll(async () => {
  const agents = {
    // Commits its work, goes idle as an interactive agent does after a turn, and answers feedback.
    notes: fakeAgent('hook:working;edit:notes.txt=from the agent;commit:add notes;hook:idle;ask:feedback? ;print:heard {answer};hook:working;hook:idle;sleep:600000'),
    readme: fakeAgent('hook:working;edit:README.md=# the agent\'s readme;commit:agent readme;hook:idle;sleep:600000'),
  };
  [owner] = await Promise.all([Owner.start({ agents }), browsers.launch()]);
  control = await owner.link();
}, 60_000);
afterEach(() => browsers.closePages());
afterAll(async () => {
  await browsers.close();
  await owner?.dispose();
});

const git = (...args: string[]): string => execFileSync('git', ['-C', owner.repo, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { encoding: 'utf8' }).trim();

/** Starts a task with `agent` and waits until the agent committed and went idle (the task is in review). */
async function reviewedTask(title: string, agent: string): Promise<number> {
  const { number } = await owner.startTask(title, agent);
  await eventually(async () => {
    const task = await owner.task(number);
    return task.status === 'in_review' && task.session?.state === 'idle' ? true : undefined;
  }, `task ${number} to be in review`);
  return number;
}

/** From the board: the task's sheet, then Review; resolves once the diff is shown. */
async function openReview(page: Page, number: number): Promise<void> {
  await openTask(page, number);
  await page.locator(`.sheet[data-task="${number}"] [data-action=review]`).click();
  await page.locator('.review-summary').waitFor();
}

/** Merge…, then the confirmation; resolves with what the outcome area says once it says more than "Merging…". */
async function merge(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Merge…' }).click();
  await page.locator('dialog[open] button[value=ok]').click();
  await page.locator('.review-outcome p').waitFor({ timeout: 30_000 });
  return (await page.locator('.review-outcome p').textContent()) ?? '';
}

describe('review', () => {
  it('shows the diff, sends feedback the agent receives, and merges the attempt onto main', async () => {
    const number = await reviewedTask('Write notes', 'notes');
    const page = await browsers.open(control.url);
    await openReview(page, number);
    expect(await page.locator('.review-summary').textContent()).toMatch(/^vibe\/\d+-write-notes → main · 1 file changed$/);
    await page.locator('.review-diff', { hasText: 'notes.txt' }).waitFor();
    await page.locator('.review-diff', { hasText: 'from the agent' }).waitFor();

    await page.locator('textarea[name=feedback]').fill('use tabs');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.locator('.toast', { hasText: 'Feedback sent to the agent' }).waitFor();
    expect(await page.locator('textarea[name=feedback]').inputValue()).toBe('');
    // The agent read it as typed input and answered; the task's history has it.
    const terminal = await browsers.open(control.url);
    await openTerminal(terminal, number);
    await waitForScreen(terminal, (text) => /^heard use tabs$/m.test(text), 'the agent to hear the feedback');
    const { entries } = await owner.json<{ entries: Array<{ name: string; data: { comment?: string } }> }>(['task', 'log', String(number)]);
    expect(entries.filter((entry) => entry.name === 'task.reviewed').map((entry) => entry.data.comment)).toEqual(['use tabs']);

    // Feedback moved the task back to work; the agent's second turn ends in review again, and the page merges
    // (squash, the default) — a merge while the agent works would be refused.
    await eventually(async () => {
      const task = await owner.task(number);
      return task.status === 'in_review' && task.session?.state === 'idle' ? true : undefined;
    }, 'the second turn to end');
    const before = git('rev-parse', 'main');
    const outcome = await merge(page);
    expect(outcome).toMatch(/^Merged as [0-9a-f]{10} \(squash\)\.$/);
    const head = git('rev-parse', 'main');
    expect(head).not.toBe(before);
    expect(head.startsWith(outcome.slice('Merged as '.length, 'Merged as '.length + 10))).toBe(true);
    expect(git('show', 'main:notes.txt')).toBe('from the agent');
    expect(git('log', '-1', '--format=%s', 'main')).toBe('Write notes');
    expect((await owner.task(number)).status).toBe('done');
  });

  it('lists the conflicting file of a merge that cannot land, and leaves main as it was', async () => {
    const number = await reviewedTask('Rewrite the readme', 'readme');
    writeFileSync(join(owner.repo, 'README.md'), '# changed on main\n');
    git('commit', '-qam', 'readme on main');
    const before = git('rev-parse', 'main');

    const page = await browsers.open(control.url);
    await openReview(page, number);
    const outcome = await merge(page);
    expect(outcome).toMatch(/^merge conflicts in 1 file: README\.md — nothing was changed/);
    expect(await page.locator('.review-outcome .conflicts li').allTextContents()).toEqual(['README.md']);
    expect(git('rev-parse', 'main')).toBe(before);
    expect(git('status', '--porcelain')).toBe('');
    expect(readFileSync(join(owner.repo, 'README.md'), 'utf8')).toBe('# changed on main\n');
    expect((await owner.task(number)).status).toBe('in_review');
  });
});
