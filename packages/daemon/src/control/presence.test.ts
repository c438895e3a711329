// Presence bookkeeping on its own: one report per change of a session's list, typing that lasts from the first
// key to a quiet spell after the last, and a closed connection gone from every session it watched.
import type { Viewer } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { Presence } from './presence.js';
import type { PeerIdentity } from './transport.js';

const desk: PeerIdentity = { label: 'dev', kind: 'local', device: 'vibe-cli 0.1.0' };
const phone: PeerIdentity = { label: 'alice', kind: 'view', device: 'Safari on iPhone (vibe-web 0.1.0)' };
const TYPING_MS = 300;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tracked() {
  const reports: Array<[number, Viewer[]]> = [];
  const presence = new Presence({ typingMs: TYPING_MS, changed: (session, viewers) => reports.push([session, viewers]) });
  return { presence, reports, typing: () => reports.map(([, viewers]) => viewers.map((viewer) => viewer.typing)) };
}

describe('Presence', () => {
  it('reports each attach and detach with the whole list, in attach order, and nothing for an attach that changes nothing', () => {
    const { presence, reports } = tracked();
    const a = {};
    const b = {};
    const id = presence.attached(a, desk, 4, false);
    expect(presence.attached(b, phone, 4, true)).not.toBe(id);
    expect(presence.attached(a, desk, 4, false)).toBe(id);
    expect(reports).toHaveLength(2);
    expect(presence.viewers(4)).toEqual([
      { id, label: 'dev', kind: 'local', device: 'vibe-cli 0.1.0', readOnly: false, typing: false },
      { id: expect.any(String), label: 'alice', kind: 'view', device: 'Safari on iPhone (vibe-web 0.1.0)', readOnly: true, typing: false },
    ]);
    // Attaching again read-only keeps the id and says so.
    expect(presence.attached(a, desk, 4, true)).toBe(id);
    expect(reports.at(-1)?.[1][0]).toMatchObject({ id, readOnly: true });
    presence.detached(a, 4);
    expect(reports.at(-1)).toEqual([4, [expect.objectContaining({ label: 'alice' })]]);
    presence.detached(a, 4);
    expect(reports).toHaveLength(4);
  });

  it('drops a closed connection from every session it watched, one report each', () => {
    const { presence, reports } = tracked();
    const a = {};
    presence.attached(a, desk, 1, false);
    presence.attached(a, desk, 2, false);
    presence.attached({}, phone, 2, true);
    reports.length = 0;
    presence.dropConnection(a);
    expect(reports).toEqual([
      [1, []],
      [2, [expect.objectContaining({ label: 'alice' })]],
    ]);
  });

  it('marks typing at the first key only and clears it once no key came for the typing time', async () => {
    const { presence, typing } = tracked();
    const a = {};
    presence.attached(a, desk, 1, false);
    presence.typed(a, 1);
    for (let i = 0; i < 6; i++) {
      await sleep(TYPING_MS / 5);
      presence.typed(a, 1);
    }
    // Keys came for most of a typing window after the first, but never a whole window after one.
    expect(typing()).toEqual([[false], [true]]);
    await sleep(TYPING_MS * 2);
    expect(typing()).toEqual([[false], [true], [false]]);
  });

  it('ignores keys from a connection that does not watch the session, and forgets a typing viewer that leaves', async () => {
    const { presence, reports } = tracked();
    const a = {};
    presence.typed(a, 1);
    presence.attached(a, desk, 1, false);
    presence.typed(a, 1);
    presence.detached(a, 1);
    await sleep(TYPING_MS * 2);
    expect(reports.map(([, viewers]) => viewers.map((viewer) => viewer.typing))).toEqual([[false], [true], []]);
    presence.dispose();
  });
});
