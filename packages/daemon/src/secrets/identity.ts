// The daemon's long-term Ed25519 identity: made once, kept in the secret store, pinned by every link.
import { fromBase64Url, generateIdentity, identityFromSeed, toBase64Url, type Identity } from '@vibe/protocol';
import { StartupError } from '../errors.js';
import type { SecretStore } from './secret-store.js';

const NAME = 'identity';

/** This daemon's identity; the first start makes one. A stored value that is not a 32-byte seed is refused. */
export function loadIdentity(secrets: SecretStore): Identity {
  const stored = secrets.get(NAME);
  if (stored === undefined) {
    const identity = generateIdentity();
    secrets.set(NAME, toBase64Url(identity.secretKey));
    return identity;
  }
  const seed = fromBase64Url(stored);
  if (!seed || seed.length !== 32) {
    throw new StartupError('VIBE_SECRETS_UNAVAILABLE', `the stored daemon identity (${secrets.kind} store) is not a 32-byte key; it was left as it is`);
  }
  return identityFromSeed(seed);
}
