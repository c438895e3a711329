// The one line a command prints when the local daemon is another release.
import { describe, expect, it } from 'vitest';
import { versionSkewLine } from './version-skew.js';

describe('versionSkewLine', () => {
  it('says nothing for the same release, build metadata aside', () => {
    expect(versionSkewLine('1.2.0', '1.2.0')).toBeUndefined();
    expect(versionSkewLine('1.2.0+a', '1.2.0+b')).toBeUndefined();
  });

  it('offers `vibe up` for an older daemon, and an upgrade of the CLI for a newer one', () => {
    expect(versionSkewLine('0.9.0', '1.0.0')).toBe('the running daemon is vibe 0.9.0, this vibe is 1.0.0: `vibe up` replaces the daemon in place (every session keeps running)');
    expect(versionSkewLine('1.1.0', '1.0.0')).toMatch(/^the running daemon is vibe 1\.1\.0, this vibe is 1\.0\.0: upgrade this vibe/);
  });

  it('escapes what the daemon sent before it reaches the terminal', () => {
    expect(versionSkewLine('0.1.0\x1b[2J', '1.0.0')).toContain('0.1.0\\x1b[2J');
  });
});
