// What the Store checks before it writes a link or the relay settings: well-formed text, sizes, a real port.
import { ProtocolError } from '@vibe/protocol';
import type { CreateLinkInput, RelaySettingsRecord } from './links.js';
import { assertWellFormed } from './verbatim.js';

export function checkNewLink(input: CreateLinkInput): void {
  assertWellFormed('id', input.id);
  assertWellFormed('label', input.label);
  const label = [...input.label].length;
  if (input.id.length === 0 || input.id.length > 100) throw new ProtocolError('invalid_params', 'a link id is 1 to 100 characters', { field: 'id' });
  if (label === 0 || label > 100) throw new ProtocolError('invalid_params', 'a link label is 1 to 100 characters', { field: 'label' });
  if (input.kind !== 'control' && input.kind !== 'view') throw new ProtocolError('invalid_params', 'a link is control or view', { field: 'kind' });
}

export function checkRelaySettings(patch: Partial<RelaySettingsRecord>): void {
  for (const field of ['url', 'embeddedHost'] as const) {
    const text = patch[field];
    if (typeof text === 'string') assertWellFormed(field, text);
  }
  const port = patch.embeddedPort;
  if (port !== undefined && port !== null && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new ProtocolError('invalid_params', `embedded relay port ${port} is not a port (0-65535)`, { field: 'embeddedPort' });
  }
}
