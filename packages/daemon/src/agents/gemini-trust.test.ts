// Gemini CLI's trust rules as vibe reads them: longest rule wins, TRUST_PARENT covers the parent, the
// environment overrides the file, and a file vibe cannot read decides nothing.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { geminiTrust, trustedFoldersPath } from './gemini-trust.js';
import { tempDir } from '../worktrees/temp-repo.js';

function rulesFile(rules: unknown): string {
  const path = join(tempDir(), 'trustedFolders.json');
  writeFileSync(path, typeof rules === 'string' ? rules : JSON.stringify(rules));
  return path;
}

describe('geminiTrust', () => {
  it('finds the rules where Gemini keeps them', () => {
    expect(trustedFoldersPath({ GEMINI_CLI_TRUSTED_FOLDERS_PATH: '/x/t.json', GEMINI_CLI_HOME: '/h' })).toBe('/x/t.json');
    expect(trustedFoldersPath({ GEMINI_CLI_HOME: '/h' })).toBe('/h/.gemini/trustedFolders.json');
  });

  it('trusts a folder and what is under it, and a rule\'s parent with TRUST_PARENT', () => {
    const env = { GEMINI_CLI_TRUSTED_FOLDERS_PATH: rulesFile({ '/src/app': 'TRUST_FOLDER', '/work/a/b': 'TRUST_PARENT' }) };
    expect(geminiTrust('/src/app', env)).toBe(true);
    expect(geminiTrust('/src/app/packages/x', env)).toBe(true);
    expect(geminiTrust('/src/application', env)).toBeUndefined();
    expect(geminiTrust('/src', env)).toBeUndefined();
    expect(geminiTrust('/work/a/c', env)).toBe(true);
    expect(geminiTrust('/work', env)).toBeUndefined();
  });

  it('lets the longest matching rule decide', () => {
    const env = { GEMINI_CLI_TRUSTED_FOLDERS_PATH: rulesFile({ '/src': 'TRUST_FOLDER', '/src/vendor': 'DO_NOT_TRUST' }) };
    expect(geminiTrust('/src/app', env)).toBe(true);
    expect(geminiTrust('/src/vendor/lib', env)).toBe(false);
  });

  it('follows symlinks on both sides, as Gemini does', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const env = { GEMINI_CLI_TRUSTED_FOLDERS_PATH: rulesFile({ [join(dir, 'link')]: 'TRUST_FOLDER' }) };
    expect(geminiTrust(join(dir, 'real'), env)).toBe(true);
  });

  it('puts the environment before the file', () => {
    const GEMINI_CLI_TRUSTED_FOLDERS_PATH = rulesFile({ '/src': 'TRUST_FOLDER' });
    expect(geminiTrust('/src', { GEMINI_CLI_TRUSTED_FOLDERS_PATH, GEMINI_CLI_TRUST_WORKSPACE: 'false' })).toBe(false);
    expect(geminiTrust('/src', { GEMINI_CLI_TRUSTED_FOLDERS_PATH, GEMINI_RESTRICTED_MODE: 'true' })).toBe(false);
    expect(geminiTrust('/elsewhere', { GEMINI_CLI_TRUSTED_FOLDERS_PATH, GEMINI_CLI_TRUST_WORKSPACE: 'true' })).toBe(true);
  });

  it('decides nothing from a missing, malformed or odd file, or an unknown level', () => {
    for (const content of ['{ not json', '[]', 'null', JSON.stringify({ '/src': 'MAYBE' })]) {
      expect(geminiTrust('/src', { GEMINI_CLI_TRUSTED_FOLDERS_PATH: rulesFile(content) })).toBeUndefined();
    }
    expect(geminiTrust('/src', { GEMINI_CLI_TRUSTED_FOLDERS_PATH: '/nonexistent/t.json' })).toBeUndefined();
  });
});
