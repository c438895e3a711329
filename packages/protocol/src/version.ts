// Protocol version and capability negotiation shared by every peer.

/** MAJOR.MINOR. A peer refuses a different major; minors only add optional fields and capabilities. */
export const PROTOCOL_VERSION = '1.5';

/**
 * Capabilities a peer may announce in its handshake. A capability names a feature beyond the major's
 * baseline, so old peers simply never see messages they would not understand.
 */
export const CAPABILITIES = ['events', 'tasks', 'projects', 'sessions', 'review', 'relay', 'files', 'inbox', 'chat', 'presence', 'approvals'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface ProtocolVersion {
  major: number;
  minor: number;
}

export function parseVersion(text: string): ProtocolVersion | undefined {
  const match = /^(\d{1,4})\.(\d{1,4})$/.exec(text);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** True when a peer announcing `theirs` can talk to us. */
export function isCompatible(theirs: string, ours: string = PROTOCOL_VERSION): boolean {
  const a = parseVersion(theirs);
  const b = parseVersion(ours);
  return a !== undefined && b !== undefined && a.major === b.major;
}
