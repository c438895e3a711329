import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonIdFor } from '@vibe/protocol';
import { StartupError } from '../errors.js';
import { loadIdentity } from './identity.js';
import { openSecretStore, secretStoreChoice, type SecretStore } from './secret-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vibe-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A keychain in memory, so the choice logic is tested without an OS keychain (this machine has none). */
function memoryKeychain(): () => SecretStore {
  const values = new Map<string, string>();
  return () => ({
    kind: 'keychain',
    get: (name) => values.get(name),
    set: (name, value) => void values.set(name, value),
    delete: (name) => void values.delete(name),
  });
}
const unreachable = (): SecretStore => {
  throw new Error('Platform failure: DBus error: no session bus\nmore detail');
};

describe('the file store', () => {
  it('keeps values in one 0600 file, replaced whole, and reads them back in a new store', () => {
    const store = openSecretStore({ dataDir: dir, choice: 'file' });
    expect(store.kind).toBe('file');
    store.set('link:a', 'one');
    store.set('link:b', 'two');
    store.delete('link:a');
    store.delete('never-there');
    const path = join(dir, 'secrets.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ 'link:b': 'two' });
    const again = openSecretStore({ dataDir: dir });
    expect([again.kind, again.get('link:b'), again.get('link:a')]).toEqual(['file', 'two', undefined]);
  });

  it('refuses a file that is not a secrets file and leaves it untouched', () => {
    writeFileSync(join(dir, 'secrets.json'), '[1,2]');
    expect(() => openSecretStore({ dataDir: dir, choice: 'file' })).toThrow(/not a vibe secrets file/);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toBe('[1,2]');
  });
});

describe('choosing a store', () => {
  it('uses the keychain when it answers, and records that', () => {
    const keychain = memoryKeychain();
    expect(openSecretStore({ dataDir: dir, keychain }).kind).toBe('keychain');
    expect(readFileSync(join(dir, 'secret-store'), 'utf8').trim()).toBe('keychain');
  });

  it('falls back to the file when no keychain is reachable, and stays there when one appears later', () => {
    expect(openSecretStore({ dataDir: dir, keychain: unreachable }).kind).toBe('file');
    expect(openSecretStore({ dataDir: dir, keychain: memoryKeychain() }).kind).toBe('file');
  });

  it('refuses to start when the keychain that holds the secrets is gone, instead of minting a new identity', () => {
    openSecretStore({ dataDir: dir, keychain: memoryKeychain() });
    const attempt = (): SecretStore => openSecretStore({ dataDir: dir, keychain: unreachable });
    expect(attempt).toThrow(StartupError);
    expect(attempt).toThrow(/keychain holds this daemon's identity and link secrets but cannot be reached: Platform failure: DBus error: no session bus \(recorded in/);
    expect(() => openSecretStore({ dataDir: dir, choice: 'file' })).toThrow(/secrets are in the keychain/);
  });

  it('insists on the keychain when asked to', () => {
    expect(() => openSecretStore({ dataDir: dir, choice: 'keychain', keychain: unreachable })).toThrow(/cannot be reached/);
  });

  it('parses VIBE_SECRET_STORE and names it when wrong', () => {
    expect([undefined, '', 'auto', 'file', 'keychain'].map(secretStoreChoice)).toEqual(['auto', 'auto', 'auto', 'file', 'keychain']);
    expect(() => secretStoreChoice('vault')).toThrow('VIBE_SECRET_STORE must be auto, keychain or file, not "vault"');
  });
});

describe('the daemon identity', () => {
  it('is made once and the same after reopening', () => {
    const first = loadIdentity(openSecretStore({ dataDir: dir, choice: 'file' }));
    const second = loadIdentity(openSecretStore({ dataDir: dir, choice: 'file' }));
    expect(daemonIdFor(second.publicKey)).toBe(daemonIdFor(first.publicKey));
    expect(second.secretKey).toEqual(first.secretKey);
  });

  it('refuses a stored value that is not a 32-byte seed', () => {
    const store = openSecretStore({ dataDir: dir, choice: 'file' });
    store.set('identity', 'c2hvcnQ');
    expect(() => loadIdentity(store)).toThrow(/not a 32-byte key; it was left as it is/);
    expect(store.get('identity')).toBe('c2hvcnQ');
  });
});
