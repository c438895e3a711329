import { createHash } from 'node:crypto';
import { RELAY_CLOSE } from '@vibe/protocol';
import { describe, expect, it } from 'vitest';
import { PAGE_CLOSE_MESSAGES, PAGE_HEADERS, PAGE_HTML } from './page.js';

// The relay page's words for each way the relay can end its probe, and the page that carries them.

describe('the relay page messages', () => {
  it('have words for every close the relay can give a client that only connects', () => {
    for (const code of [RELAY_CLOSE.unknownDaemon, RELAY_CLOSE.tooMany, RELAY_CLOSE.daemonGone, RELAY_CLOSE.restarting, RELAY_CLOSE.badRequest, RELAY_CLOSE.timeout, 1006]) {
      expect(PAGE_CLOSE_MESSAGES[code], `close code ${code}`).toBeDefined();
    }
  });

  it('call 4429 the per-daemon client cap, not the per-address rate limit', () => {
    const cap = PAGE_CLOSE_MESSAGES[RELAY_CLOSE.tooMany]!;
    expect(`${cap.title} ${cap.text}`).toMatch(/daemon/i);
    expect(cap.text).toContain('{id}');
    expect(`${cap.title} ${cap.text}`).not.toMatch(/address|rate/i);
  });

  it('put the HTTP 429 rate limit where a browser meets it: a WebSocket that never opens (1006)', () => {
    expect(PAGE_CLOSE_MESSAGES[1006]!.text).toMatch(/too many in a short time/);
  });

  it('name the daemon id for an unknown daemon and say what to do', () => {
    const unknown = PAGE_CLOSE_MESSAGES[RELAY_CLOSE.unknownDaemon]!;
    expect(unknown.title).toBe('Unknown daemon');
    expect(unknown.text).toContain('{id}');
    expect(unknown.text).toContain('vibe connect');
  });

  it('are embedded in the page, whose script the CSP hash allows', () => {
    const script = /<script>([\s\S]*)<\/script>/.exec(PAGE_HTML)![1]!;
    expect(script).toContain(JSON.stringify(PAGE_CLOSE_MESSAGES));
    const hash = createHash('sha256').update(script).digest('base64');
    expect(PAGE_HEADERS['content-security-policy']).toContain(`'sha256-${hash}'`);
  });
});
