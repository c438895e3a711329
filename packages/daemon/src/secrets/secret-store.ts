// Where the daemon keeps its identity and link secrets: the OS keychain through @napi-rs/keyring, or a 0600
// file in the data directory when no keychain is reachable (a server, a container, this CI machine).
// docs/security.md, "Where secrets live", says why this library and why Secret Service is pinned on Linux.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../errors.js';

export type SecretStoreKind = 'keychain' | 'file';

export interface SecretStore {
  readonly kind: SecretStoreKind;
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** `auto` (the default) tries the keychain and falls back to the file; the others insist. */
export type SecretStoreChoice = 'auto' | SecretStoreKind;

export interface OpenSecretStoreOptions {
  /** The data directory: the file store, and the marker saying which store holds this daemon's secrets. */
  dataDir: string;
  choice?: SecretStoreChoice;
  /** Opens the keychain; tests pass one that fails or one in memory. */
  keychain?: () => SecretStore;
}

const MARKER = 'secret-store';
const FILE = 'secrets.json';
const SERVICE = 'vibe';

/** Parses VIBE_SECRET_STORE; anything else is a startup error naming the variable. */
export function secretStoreChoice(value: string | undefined): SecretStoreChoice {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'keychain' || value === 'file') return value;
  throw new StartupError('VIBE_SECRETS_UNAVAILABLE', `VIBE_SECRET_STORE must be auto, keychain or file, not "${value}"`);
}

/**
 * Opens the store this daemon used before (recorded in a marker file), or picks one the first time. A
 * keychain that held the secrets and is unreachable now is an error, never a silent switch to a new
 * identity: every link would stop working.
 */
export function openSecretStore(options: OpenSecretStoreOptions): SecretStore {
  const choice = options.choice ?? 'auto';
  const markerPath = join(options.dataDir, MARKER);
  const recorded = readMarker(markerPath);
  const openKeychain = options.keychain ?? (() => keychainStore(options.dataDir));
  const file = (): SecretStore => new FileSecretStore(join(options.dataDir, FILE));

  if (choice === 'file' || (choice === 'auto' && recorded === 'file')) {
    if (recorded === 'keychain' && choice === 'file') {
      throw new StartupError(
        'VIBE_SECRETS_UNAVAILABLE',
        `this daemon's secrets are in the keychain (${markerPath}); unset VIBE_SECRET_STORE to keep using it`,
      );
    }
    writeMarker(markerPath, 'file');
    return file();
  }
  try {
    const store = openKeychain();
    writeMarker(markerPath, 'keychain');
    return store;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (choice === 'keychain' || recorded === 'keychain') {
      throw new StartupError(
        'VIBE_SECRETS_UNAVAILABLE',
        `the OS keychain holds this daemon's identity and link secrets but cannot be reached: ${reason}` +
          (recorded === 'keychain' ? ` (recorded in ${markerPath})` : ''),
        { cause: error },
      );
    }
    writeMarker(markerPath, 'file');
    return file();
  }
}

/** A JSON object of name → value in one 0600 file, replaced atomically on every change. */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  private values: Record<string, string>;

  constructor(private readonly path: string) {
    this.values = readSecrets(path);
  }

  get(name: string): string | undefined {
    return Object.hasOwn(this.values, name) ? this.values[name] : undefined;
  }

  set(name: string, value: string): void {
    this.write({ ...this.values, [name]: value });
  }

  delete(name: string): void {
    if (!Object.hasOwn(this.values, name)) return;
    const { [name]: _gone, ...rest } = this.values;
    this.write(rest);
  }

  private write(values: Record<string, string>): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
    this.values = values;
  }
}

function readSecrets(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new StartupError('VIBE_SECRETS_UNAVAILABLE', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string')) {
      return parsed as Record<string, string>;
    }
  } catch {
    // Falls through to the error below.
  }
  throw new StartupError('VIBE_SECRETS_UNAVAILABLE', `${path} is not a vibe secrets file (a JSON object of strings); it was left as it is`);
}

function readMarker(path: string): SecretStoreKind | undefined {
  try {
    const value = readFileSync(path, 'utf8').trim();
    return value === 'keychain' || value === 'file' ? value : undefined;
  } catch {
    return undefined;
  }
}

function writeMarker(path: string, kind: SecretStoreKind): void {
  if (readMarker(path) === kind) return;
  writeFileSync(path, `${kind}\n`, { mode: 0o600 });
}

interface KeyringEntry {
  getPassword(): string | null;
  setPassword(password: string): void;
  deletePassword(): boolean;
}
type KeyringModule = { Entry: new (service: string, account: string, options?: { linux?: { store?: string } }) => KeyringEntry };

/**
 * The OS keychain: one entry per secret under service "vibe", its account scoped to this data directory so
 * isolated daemons (VIBE_HOME) never share an identity. On Linux the Secret Service is required: the kernel
 * keyring the library would fall back to forgets everything at logout. Throws when the keychain is absent.
 */
function keychainStore(dataDir: string): SecretStore {
  const { Entry } = createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule;
  const scope = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const options = process.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined;
  const entry = (name: string): KeyringEntry => new Entry(SERVICE, `${scope}:${name}`, options);
  // A write read back proves the keychain answers before anything is recorded as living there (a read alone
  // can report an unreachable store as "no such entry").
  const probe = entry('probe');
  probe.setPassword('ok');
  if (probe.getPassword() !== 'ok') throw new Error('the keychain did not return what was stored in it');
  return {
    kind: 'keychain',
    get: (name) => entry(name).getPassword() ?? undefined,
    set: (name, value) => entry(name).setPassword(value),
    delete: (name) => {
      try {
        entry(name).deletePassword();
      } catch {
        // Not there: nothing to delete.
      }
    },
  };
}
