// The secrets room's public entry: the secret store (keychain or 0600 file) and the daemon identity in it.
export { openSecretStore, secretStoreChoice, FileSecretStore, type SecretStore, type SecretStoreChoice, type SecretStoreKind } from './secret-store.js';
export { loadIdentity } from './identity.js';
