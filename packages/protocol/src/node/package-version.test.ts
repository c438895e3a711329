// Reading the running package's version, and ordering versions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { compareVersions, packageVersion } from './package-version.js';

describe('packageVersion', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the nearest package.json above the file, as an installed package nests its parts', () => {
    dir = mkdtempSync(join(tmpdir(), 'vibe-version-'));
    mkdirSync(join(dir, 'dist', 'daemon'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@vibe/cli', version: '1.2.3' }));
    expect(packageVersion(pathToFileURL(join(dir, 'dist', 'daemon', 'main.js')).href)).toBe('1.2.3');
    writeFileSync(join(dir, 'dist', 'package.json'), JSON.stringify({ version: '9.9.9' }));
    expect(packageVersion(pathToFileURL(join(dir, 'dist', 'daemon', 'main.js')).href)).toBe('9.9.9');
  });

  it('is the workspace version for these sources', () => {
    expect(packageVersion(import.meta.url)).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('compareVersions', () => {
  it('orders by major, minor, patch, numerically', () => {
    expect(compareVersions('0.1.0', '0.2.0')).toBe(-1);
    expect(compareVersions('0.10.0', '0.9.9')).toBe(1);
    expect(compareVersions('1.0.0', 'v1.0.0')).toBe(0);
    expect(compareVersions('2.0.0', '10.0.0')).toBe(-1);
  });

  it('puts a pre-release before its release, and orders pre-releases as semver does', () => {
    expect(compareVersions('1.0.0-beta.2', '1.0.0')).toBe(-1);
    expect(compareVersions('1.0.0-beta.2', '1.0.0-beta.10')).toBe(-1);
    expect(compareVersions('1.0.0-alpha', '1.0.0-alpha.1')).toBe(-1);
    expect(compareVersions('1.0.0-1', '1.0.0-alpha')).toBe(-1);
    expect(compareVersions('1.0.0+build.5', '1.0.0')).toBe(0);
  });
});
