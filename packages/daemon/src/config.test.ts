import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from './config.js';

// The config file: defaults when missing, the user's settings when valid, a named refusal when broken.

const dirs: string[] = [];
const configFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'vibe-conf-'));
  dirs.push(dir);
  return join(dir, 'config.json');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('uses defaults when the file is missing, without creating it', () => {
    const file = configFile();
    expect(loadConfig(file)).toEqual(DEFAULT_CONFIG);
    expect(existsSync(file)).toBe(false);
  });

  it('reads the settings the user wrote', () => {
    const file = configFile();
    writeFileSync(file, JSON.stringify({ defaultAgent: 'codex', busyTimeoutMs: 100 }));
    expect(loadConfig(file)).toMatchObject({ defaultAgent: 'codex', busyTimeoutMs: 100, logLevel: 'info' });
  });

  it('names the file and the parse error for broken JSON and leaves the file untouched', () => {
    const file = configFile();
    const broken = '{ "defaultAgent": "codex", }';
    writeFileSync(file, broken);
    expect(() => loadConfig(file)).toThrow(new RegExp(`config file ${file} is not valid JSON: .+`));
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('names the setting that breaks the schema', () => {
    const file = configFile();
    writeFileSync(file, JSON.stringify({ busyTimeoutMs: 'soon' }));
    expect(() => loadConfig(file)).toThrow(/config file .*config\.json is invalid: busyTimeoutMs: /);
  });
});
