// Screen approvals: an agent without a permission hook that starts waiting gets an approval for its dialog, read
// from its screen — unless the daemon stopped (and closed its store) while the screen was being read.
import type { Session, VibeEvent } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { nullLogger } from '../logger.js';
import { launchInput, storeWithTask } from '../store/temp-store.js';
import { Approvals } from './approvals.js';

function screenApprovals() {
  const { store } = storeWithTask();
  const { session } = store.createSession(1, 1, launchInput({ agent: 'codex' }));
  let showScreen: (text: string) => void = () => {};
  const published: VibeEvent[] = [];
  const approvals = new Approvals({
    store,
    publish: (event) => event && published.push(event),
    hookSession: () => session,
    type: () => {},
    screenText: () => new Promise((resolve) => (showScreen = resolve)),
    screenKeys: () => ({ allow: 'y', deny: '\u001b' }),
    dialogBesideHook: () => false,
    logger: nullLogger,
  });
  const waiting = (state: Session['state']): VibeEvent => ({ name: 'session.updated', data: { session: { ...session, state } } }) as VibeEvent;
  approvals.observe(waiting('working'));
  approvals.observe(waiting('waiting'));
  return { store, session, approvals, published, showScreen: (text: string) => showScreen(text) };
}

describe('screen approvals', () => {
  it('record the dialog the waiting agent shows', async () => {
    const { approvals, published, showScreen } = screenApprovals();
    showScreen('Allow command `rm -rf build`?\n  1. Yes\n  2. No');
    await new Promise((resolve) => setImmediate(resolve));
    expect(approvals.list({ pending: true })).toMatchObject([{ tool: 'dialog', via: 'screen', state: 'pending' }]);
    expect(published.map((event) => event.name)).toEqual(['approval.requested']);
  });

  it('leave the store alone when the daemon stopped while the screen was read', async () => {
    const { store, approvals, published, showScreen } = screenApprovals();
    approvals.release();
    store.close();
    showScreen('Allow command `rm -rf build`?');
    // Without the check, the read of the closed store rejects unhandled and vitest fails the run.
    await new Promise((resolve) => setImmediate(resolve));
    expect(published).toEqual([]);
  });
});

describe('answering a screen approval', () => {
  it('types the key and records the answer; a dialog that cannot be reached is refused with nothing recorded', async () => {
    const typed: string[] = [];
    let running = true;
    const { store, session } = storeWithSessionForAnswers();
    const approvals = new Approvals({
      store,
      publish: () => {},
      hookSession: () => session,
      type: (_id, text) => {
        if (!running) throw new Error('session 1 is not running');
        typed.push(text);
      },
      screenText: () => Promise.resolve(undefined),
      screenKeys: () => ({ allow: 'y', deny: '\u001b' }),
      dialogBesideHook: () => false,
      logger: nullLogger,
    });
    const ask = () => store.requestApproval({ sessionId: session.id, tool: 'dialog', detail: 'Run it?', options: ['allow', 'deny'], via: 'screen' }).stored.approval;

    const first = ask();
    expect(approvals.answer(first.id, 'allow', undefined, 'alice')).toMatchObject({ state: 'allowed', answeredBy: 'alice' });
    expect(typed).toEqual(['y']);
    // Answered already: refused, and no second key typed.
    expect(() => approvals.answer(first.id, 'deny', undefined, 'bob')).toThrow(/answered|already|allowed/);
    expect(typed).toEqual(['y']);

    const second = ask();
    running = false;
    expect(() => approvals.answer(second.id, 'deny', undefined, 'alice')).toThrow(/cannot be answered.*nothing was recorded/);
    expect(approvals.list({ pending: true }).map((approval) => approval.id)).toEqual([second.id]);
  });
});

function storeWithSessionForAnswers() {
  const { store } = storeWithTask();
  const { session } = store.createSession(1, 1, launchInput({ agent: 'codex' }));
  return { store, session };
}

describe('a session leaving waiting', () => {
  it('cancels a hook approval as answered at the desk only for an agent that shows its dialog beside the hook', () => {
    for (const [agent, besideHook] of [['claude', true], ['codex', false]] as const) {
      const { store } = storeWithTask();
      const { session } = store.createSession(1, 1, launchInput({ agent }));
      const approvals = new Approvals({
        store,
        publish: () => {},
        hookSession: () => session,
        type: () => {},
        screenText: () => Promise.resolve(undefined),
        screenKeys: () => undefined,
        dialogBesideHook: (name) => name === 'claude',
        logger: nullLogger,
      });
      const { approval } = store.requestApproval({ sessionId: session.id, tool: 'Bash', detail: 'rm -rf build', options: ['allow', 'deny'], via: 'hook', requestKey: 'k'.repeat(20), hookPid: process.pid }).stored;
      const state = (to: Session['state']): VibeEvent => ({ name: 'session.updated', data: { session: { ...session, state: to } } }) as VibeEvent;
      approvals.observe(state('waiting'));
      approvals.observe(state('working'));
      const after = approvals.list({}).find((known) => known.id === approval.id);
      // Codex holds the request in its hook with no dialog up: output moving its state on answers nothing.
      expect(after, agent).toMatchObject(besideHook ? { state: 'cancelled', answeredBy: 'desk' } : { state: 'pending' });
    }
  });
});
