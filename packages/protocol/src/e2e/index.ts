// The end-to-end envelope between a daemon and its remote clients (docs/protocol.md §11, docs/security.md).
export * from './bytes.js';
export * from './aead.js';
export * from './link.js';
export * from './identity.js';
export * from './handshake.js';
export * from './records.js';
export * from './webcrypto-aead.js';
export * from './relay-client.js';
